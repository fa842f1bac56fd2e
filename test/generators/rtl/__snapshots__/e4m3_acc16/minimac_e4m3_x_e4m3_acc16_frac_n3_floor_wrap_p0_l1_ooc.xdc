# minimac_e4m3_x_e4m3_acc16_frac_n3_floor_wrap_p0_l1_ooc.xdc: out-of-context clock for minimac_e4m3_x_e4m3_acc16_frac_n3_floor_wrap_p0_l1 (2.500 ns, 400 MHz).
create_clock -period 2.500 -name clk [get_ports clk]
