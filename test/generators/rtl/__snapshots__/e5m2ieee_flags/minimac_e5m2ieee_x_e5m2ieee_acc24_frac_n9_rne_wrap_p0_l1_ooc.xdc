# minimac_e5m2ieee_x_e5m2ieee_acc24_frac_n9_rne_wrap_p0_l1_ooc.xdc: out-of-context clock for minimac_e5m2ieee_x_e5m2ieee_acc24_frac_n9_rne_wrap_p0_l1 (2.500 ns, 400 MHz).
create_clock -period 2.500 -name clk [get_ports clk]
