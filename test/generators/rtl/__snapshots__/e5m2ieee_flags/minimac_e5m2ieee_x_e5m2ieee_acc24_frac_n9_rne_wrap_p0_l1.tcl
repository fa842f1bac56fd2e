# minimac_e5m2ieee_x_e5m2ieee_acc24_frac_n9_rne_wrap_p0_l1.tcl: adds the MAC unit minimac_e5m2ieee_x_e5m2ieee_acc24_frac_n9_rne_wrap_p0_l1 to the current Vivado project.
# Usage (Tcl console): source <path>/minimac_e5m2ieee_x_e5m2ieee_acc24_frac_n9_rne_wrap_p0_l1.tcl
set minimac_dir [file dirname [file normalize [info script]]]
add_files -norecurse [file join $minimac_dir minimac_e5m2ieee_x_e5m2ieee_acc24_frac_n9_rne_wrap_p0_l1.v]
add_files -fileset constrs_1 -norecurse [file join $minimac_dir minimac_e5m2ieee_x_e5m2ieee_acc24_frac_n9_rne_wrap_p0_l1_ooc.xdc]
set_property USED_IN {synthesis implementation out_of_context} [get_files [file join $minimac_dir minimac_e5m2ieee_x_e5m2ieee_acc24_frac_n9_rne_wrap_p0_l1_ooc.xdc]]
# Out-of-context run of this unit alone:
#   synth_design -top minimac_e5m2ieee_x_e5m2ieee_acc24_frac_n9_rne_wrap_p0_l1 -mode out_of_context
