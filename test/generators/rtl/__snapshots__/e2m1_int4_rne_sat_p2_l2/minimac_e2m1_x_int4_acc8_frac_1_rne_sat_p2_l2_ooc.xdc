# minimac_e2m1_x_int4_acc8_frac_1_rne_sat_p2_l2_ooc.xdc: out-of-context clock for minimac_e2m1_x_int4_acc8_frac_1_rne_sat_p2_l2 (2.500 ns, 400 MHz).
create_clock -period 2.500 -name clk [get_ports clk]
