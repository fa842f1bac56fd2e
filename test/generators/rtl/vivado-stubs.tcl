# Stub Vivado commands for running the generated Tcl and XDC in a plain tclsh.
# Usage: tclsh vivado-stubs.tcl SCRIPT [TIMES] (a path, relative to the working folder or
# absolute; sourced TIMES times, default once).
# Each command with an effect prints one line: its name and its meaning-bearing arguments,
# separated by tabs. A file list argument is split into its elements, as Vivado does, so a path
# that is not one list element shows up as two. Queries (get_ports, get_runs, ...) return
# readable objects (`port:a[*]`). Any other command prints an UNKNOWN line. At the end, every
# global variable and procedure the script left behind prints a GLOBAL or PROC line.

proc emit {args} { puts [join $args \t] }

# Options of a command: a dict of the given flags (value flags take the next word) and the rest.
proc options {argv valueFlags switches} {
    set opts [dict create]
    set rest {}
    for {set i 0} {$i < [llength $argv]} {incr i} {
        set a [lindex $argv $i]
        if {$a in $valueFlags} {
            incr i
            dict set opts $a [lindex $argv $i]
        } elseif {$a in $switches} {
            dict set opts $a 1
        } elseif {[string index $a 0] eq "-"} {
            emit BADOPTION $a
        } else {
            lappend rest $a
        }
    }
    return [list $opts $rest]
}

# The project's files by fileset. A file object reads as its path, as in Vivado; a file already
# in the fileset is skipped with a warning (Vivado's filemgmt 56-12), not added twice.
namespace eval ::stubs { variable project [dict create] }
proc add_files {args} {
    lassign [options $args {-fileset} {-norecurse}] o rest
    set fs [expr {[dict exists $o -fileset] ? [dict get $o -fileset] : "sources_1"}]
    set added {}
    foreach list $rest {
        foreach f $list {
            if {[dict exists $::stubs::project $fs] && $f in [dict get $::stubs::project $fs]} {
                emit WARNING already-in-project $f
                continue
            }
            dict lappend ::stubs::project $fs $f
            emit add_files $fs [dict exists $o -norecurse] $f
            lappend added $f
        }
    }
    return $added
}
proc import_files {args} { emit import_files {*}$args }
proc get_filesets {args} { return [lmap f [lindex $args end] {string cat fileset: $f}] }
proc get_files {args} {
    lassign [options $args {-of_objects -filter} {-quiet -all}] o rest
    if {$rest ne {} || ![dict exists $o -of_objects]} { emit BADQUERY get_files {*}$args }
    set files {}
    foreach fs [dict get $o -of_objects] {
        set name [string range $fs [string length fileset:] end]
        if {[dict exists $::stubs::project $name]} { lappend files {*}[dict get $::stubs::project $name] }
    }
    return $files
}
proc read_verilog {args} {
    lassign [options $args {-library} {-sv}] o rest
    foreach list $rest { foreach f $list { emit read_verilog $f } }
}
proc read_xdc {args} {
    lassign [options $args {-mode -ref -cells} {-unmanaged}] o rest
    set mode [expr {[dict exists $o -mode] ? [dict get $o -mode] : "default"}]
    foreach list $rest { foreach f $list { emit read_xdc $mode $f } }
}
proc set_property {args} {
    lassign [options $args {-name -value -objects} {-dict}] o rest
    if {[dict exists $o -name]} {
        set rest [list [dict get $o -name] [dict get $o -value] [dict get $o -objects]]
    }
    lassign $rest name value objects
    foreach obj $objects { emit set_property $name $value $obj }
}
proc get_runs {args} { return [lmap r [lindex $args end] {string cat run: $r}] }
proc get_ports {args} { return [lmap p [lindex $args end] {string cat port: $p}] }
proc get_clocks {args} { return [lmap c [lindex $args end] {string cat clock: $c}] }
proc all_inputs {args} { return {port:*inputs*} }
proc all_outputs {args} { return {port:*outputs*} }
proc create_clock {args} {
    lassign [options $args {-period -name -waveform} {-add}] o rest
    foreach obj [join $rest] { emit create_clock [dict get $o -period] [dict get $o -name] $obj }
}
foreach cmd {set_input_delay set_output_delay} {
    proc $cmd {args} [string map [list CMD $cmd] {
        lassign [options $args {-clock} {-max -min -add_delay -clock_fall}] o rest
        lassign $rest delay objects
        foreach obj $objects { emit CMD [dict get $o -clock] $delay $obj }
    }]
}
proc unknown {args} { emit UNKNOWN {*}$args }

namespace eval ::stubs {
    variable globals [info globals]
    variable procs [info procs ::*]
}
set ::stubs::times [expr {[llength $argv] > 1 ? [lindex $argv 1] : 1}]
for {set ::stubs::i 0} {$::stubs::i < $::stubs::times} {incr ::stubs::i} { source [lindex $argv 0] }
foreach g [info globals] { if {$g ni $::stubs::globals} { emit GLOBAL $g } }
foreach p [info procs ::*] { if {$p ni $::stubs::procs} { emit PROC $p } }
