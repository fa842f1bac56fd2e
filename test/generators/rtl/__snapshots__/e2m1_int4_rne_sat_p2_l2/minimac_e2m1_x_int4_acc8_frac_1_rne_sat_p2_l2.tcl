# minimac_e2m1_x_int4_acc8_frac_1_rne_sat_p2_l2.tcl: adds the MAC unit minimac_e2m1_x_int4_acc8_frac_1_rne_sat_p2_l2 to the current Vivado project.
# Usage (Tcl console): source <path>/minimac_e2m1_x_int4_acc8_frac_1_rne_sat_p2_l2.tcl
set minimac_dir [file dirname [file normalize [info script]]]
add_files -norecurse [file join $minimac_dir minimac_e2m1_x_int4_acc8_frac_1_rne_sat_p2_l2.v]
add_files -fileset constrs_1 -norecurse [file join $minimac_dir minimac_e2m1_x_int4_acc8_frac_1_rne_sat_p2_l2_ooc.xdc]
set_property USED_IN {synthesis implementation out_of_context} [get_files [file join $minimac_dir minimac_e2m1_x_int4_acc8_frac_1_rne_sat_p2_l2_ooc.xdc]]
# Out-of-context run of this unit alone:
#   synth_design -top minimac_e2m1_x_int4_acc8_frac_1_rne_sat_p2_l2 -mode out_of_context
