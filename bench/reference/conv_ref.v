// conv_ref.v: the plain behavioural float-result converter that bench:qor measures minimac's
// `<name>__res` against (contract §2, Float result).
//
// Written the obvious way: |acc|, a priority encoder for the leading one, the binade clamped at
// R's smallest normal exponent (which is what makes subnormals), a shift of |acc| onto R's grid,
// round half to even from guard and sticky, the exponent added on top of the significand (so a
// round carry runs into it), overflow after rounding by mode, then the flags. Widths come from
// the parameters and are left to synthesis to trim. It is not generated output, and with mac_ref
// it must pass `verify` (test/bench/reference.test.ts).
//
// res after edge t = conv(acc, flags after edge t-1-Q): one register always, Q more at the
// output; rst clears them all to 0 (the code of +0).
`timescale 1ns / 1ps
module conv_ref #(
    parameter ACC_W = 16,   // accumulator width; its value is acc * 2^-FRAC
    parameter FRAC = 0,
    parameter R_E = 8,      // result format R: exponent bits, mantissa bits, bias, specials
    parameter R_M = 7,
    parameter R_BIAS = 127,
    parameter R_SPEC = 2,   // 0 none, 1 fn, 2 ieee, 3 fnuz
    parameter SAT = 1,      // 1: overflow and ±inf give ±max; 0: ±inf / NaN by variant
    parameter Q = 0         // result pipeline stages beyond the one register res always has
) (
    input  wire clk,
    input  wire rst,
    input  wire [ACC_W-1:0] acc,
    input  wire nan,
    input  wire pinf,
    input  wire ninf,
    output wire [R_E+R_M:0] res
);
    localparam RB = 1 + R_E + R_M;
    localparam EM = R_E + R_M;
    // Bit of |acc| that has the weight of R's smallest normal 2^(1-bias).
    localparam KMIN = 1 - R_BIAS + FRAC;
    // Largest finite code magnitude: the top exponent and mantissa less what the variant reserves.
    localparam E_ONES = (1 << R_E) - 1;
    localparam M_ONES = (1 << R_M) - 1;
    localparam MAX_E = (R_SPEC == 2 || (R_SPEC == 1 && R_M == 0)) ? E_ONES - 1 : E_ONES;
    localparam MAX_M = (R_SPEC == 1 && R_M > 0) ? M_ONES - 1 : M_ONES;
    // The code magnitude with an unbounded exponent: the integer (binade - KMIN) << M plus the
    // M+2 bits of significand and carry; synthesis trims the bits that stay 0.
    localparam CW = 32 + R_M + 2;
    localparam [CW-1:0] MAXC = (MAX_E << R_M) | MAX_M;

    // R's NaN with sign 0, or +0 where R has none.
    function [RB-1:0] nan_code;
        input dummy;
        begin
            nan_code = 0;
            if (R_SPEC == 1) nan_code = (1 << EM) - 1;                              // 0.11..1
            else if (R_SPEC == 2 && R_M > 0) nan_code = (E_ONES << R_M) | (1 << (R_M - 1)); // 0.1..1.10..0
            else if (R_SPEC == 3) nan_code = 1 << EM;                               // 100..0
        end
    endfunction

    // The encode of ±inf (and of any overflow) in the mode.
    function [RB-1:0] inf_code;
        input neg;
        begin
            inf_code = 0;
            inf_code[RB-1] = neg;
            if (SAT != 0 || R_SPEC == 0) inf_code = inf_code | MAXC[EM-1:0];
            else if (R_SPEC == 2) inf_code = inf_code | (E_ONES << R_M);
            else if (R_SPEC == 1) inf_code = inf_code | ((1 << EM) - 1);
            else inf_code = 1 << EM;                                                // fnuz: its one NaN
        end
    endfunction

    integer i, p, top, qb;
    reg sgn, guard, sticky, up;
    reg [ACC_W-1:0] mag;
    reg [R_M+1:0] n;
    reg [CW-1:0] expo, code;
    reg [RB-1:0] fin, conv;

    always @* begin
        sgn = acc[ACC_W-1];
        mag = sgn ? -acc : acc;
        // Leading one of |acc|.
        p = 0;
        for (i = 0; i < ACC_W; i = i + 1) if (mag[i]) p = i;
        // Binade, clamped at emin: below it the quantum stays 2^(emin - M) (subnormals).
        top = p > KMIN ? p : KMIN;
        qb = top - R_M;  // the bit of |acc| that is one quantum of R
        if (qb <= 0) begin
            n = mag << -qb;
            guard = 0;
            sticky = 0;
        end else begin
            n = mag >> qb;
            guard = (mag >> (qb - 1)) & 1;
            sticky = (mag & ~({ACC_W{1'b1}} << (qb - 1))) != 0;
        end
        expo = top - KMIN;
        code = (expo << R_M) + n;  // the hidden bit of n carries the exponent from e-1 to e
        up = guard && (sticky || code[0]);  // ties to the even code
        code = code + up;
        if (mag == 0) code = 0;
        // Overflow after rounding, the sign (fnuz has no -0).
        if (code > MAXC) fin = inf_code(sgn);
        else begin
            fin = code[EM-1:0];
            fin[RB-1] = sgn && !(R_SPEC == 3 && code == 0);
        end
        // The flags override.
        if (nan || (pinf && ninf)) conv = nan_code(1'b0);
        else if (pinf) conv = inf_code(1'b0);
        else if (ninf) conv = inf_code(1'b1);
        else conv = fin;
    end

    // res and Q more stages, all cleared by rst.
    reg [(Q+1)*RB-1:0] stages;
    always @(posedge clk) begin
        if (rst) stages <= 0;
        else stages <= (stages << RB) | conv;
    end
    assign res = stages[(Q+1)*RB-1 -: RB];
endmodule
