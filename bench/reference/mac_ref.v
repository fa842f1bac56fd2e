// mac_ref.v: the plain behavioural MAC that bench:qor measures minimac's units against.
//
// It is written the way a competent engineer writes the contract in an afternoon: decode each
// code to sign, significand and exponent shift; multiply the significands with `*`; shift the
// product into fixed point; negate; round onto the accumulator grid; add; wrap or saturate.
// Widths are generous and left to synthesis to trim. It is not generated output, and it must
// itself pass `verify` (test/bench/reference.test.ts).
`timescale 1ns / 1ps
module mac_ref #(
    parameter A_KIND = 0,   // 0 minifloat, 1 int, 2 uint
    parameter A_BITS = 8,
    parameter A_E = 4,
    parameter A_M = 3,
    parameter A_SPEC = 0,   // 0 none, 1 fn, 2 ieee, 3 fnuz
    parameter W_KIND = 0,
    parameter W_BITS = 8,
    parameter W_E = 4,
    parameter W_M = 3,
    parameter W_SPEC = 0,
    parameter P = 37,       // signed product width at the product LSB
    parameter SHIFT = 0,    // right shift from the product grid to the accumulator grid (negative: left)
    parameter RNE = 0,      // 0 floor, 1 round half to even
    parameter SAT = 0,      // 0 wrap, 1 saturate
    parameter ACC_W = 16,
    parameter LANES = 1,
    parameter PIPE = 0
) (
    input  wire clk,
    input  wire rst,
    input  wire en,
    input  wire clr,
    input  wire [LANES*A_BITS-1:0] a,
    input  wire [LANES*W_BITS-1:0] w,
    output reg  signed [ACC_W-1:0] acc,
    output reg  ovf,
    output reg  nan,
    output reg  pinf,
    output reg  ninf
);
    // Widths from the parameters: significands M+1 bits (N for integers), shifts E bits, the
    // product P bits plus room for a left shift and for summing the lanes, and room for the
    // rounding constant.
    function integer clog2;
        input integer n;
        begin
            clog2 = 0;
            while ((1 << clog2) < n) clog2 = clog2 + 1;
        end
    endfunction
    localparam SA_W = A_KIND == 0 ? A_M + 1 : A_BITS;
    localparam SW_W = W_KIND == 0 ? W_M + 1 : W_BITS;
    localparam SHA_W = A_E > 0 ? A_E : 1;
    localparam SHW_W = W_E > 0 ? W_E : 1;
    localparam NEG = SHIFT < 0 ? -SHIFT : 0;
    localparam XW0 = P + NEG + clog2(LANES) + 1;
    localparam XW = XW0 > SHIFT + 2 ? XW0 : SHIFT + 2;
    localparam SW = (XW > ACC_W ? XW : ACC_W) + 1;

    integer i;
    reg [A_BITS-1:0] ca, nega;
    reg [W_BITS-1:0] cw, negw;
    reg [SHA_W-1:0] ea, sha;
    reg [SHW_W-1:0] ew, shw;
    reg [SA_W-1:0] ma, siga;
    reg [SW_W-1:0] mw, sigw;
    reg sa, sw, a_nan, a_inf, a_zero, w_nan, w_inf, w_zero;
    reg [P-1:0] mag;
    reg signed [XW-1:0] prod, aligned, half, sum;
    reg b_nan, b_pinf, b_ninf;

    always @* begin
        sum = 0;
        b_nan = 0;
        b_pinf = 0;
        b_ninf = 0;
        for (i = 0; i < LANES; i = i + 1) begin
            ca = a[i*A_BITS +: A_BITS];
            cw = w[i*W_BITS +: W_BITS];
            // Decode A.
            nega = -ca;
            ea = 0; ma = 0; sha = 0; a_nan = 0; a_inf = 0;
            if (A_KIND == 0) begin
                ea = (ca >> A_M) & ((1 << A_E) - 1);
                ma = ca & ((1 << A_M) - 1);
                siga = (ea != 0) ? ((1 << A_M) | ma) : ma;
                sha = (ea != 0) ? ea - 1 : 0;
                sa = ca[A_BITS-1];
                a_nan = (A_SPEC == 1 && ea == (1 << A_E) - 1 && ma == (1 << A_M) - 1)
                     || (A_SPEC == 2 && ea == (1 << A_E) - 1 && ma != 0)
                     || (A_SPEC == 3 && ca == (1 << (A_BITS - 1)));
                a_inf = A_SPEC == 2 && ea == (1 << A_E) - 1 && ma == 0;
            end else if (A_KIND == 1) begin
                sa = ca[A_BITS-1];
                siga = sa ? nega : ca;
            end else begin
                sa = 0;
                siga = ca;
            end
            a_zero = siga == 0;
            // Decode W.
            negw = -cw;
            ew = 0; mw = 0; shw = 0; w_nan = 0; w_inf = 0;
            if (W_KIND == 0) begin
                ew = (cw >> W_M) & ((1 << W_E) - 1);
                mw = cw & ((1 << W_M) - 1);
                sigw = (ew != 0) ? ((1 << W_M) | mw) : mw;
                shw = (ew != 0) ? ew - 1 : 0;
                sw = cw[W_BITS-1];
                w_nan = (W_SPEC == 1 && ew == (1 << W_E) - 1 && mw == (1 << W_M) - 1)
                     || (W_SPEC == 2 && ew == (1 << W_E) - 1 && mw != 0)
                     || (W_SPEC == 3 && cw == (1 << (W_BITS - 1)));
                w_inf = W_SPEC == 2 && ew == (1 << W_E) - 1 && mw == 0;
            end else if (W_KIND == 1) begin
                sw = cw[W_BITS-1];
                sigw = sw ? negw : cw;
            end else begin
                sw = 0;
                sigw = cw;
            end
            w_zero = sigw == 0;
            // Multiply, shift into fixed point, negate.
            mag = siga * sigw;
            mag = mag << ({1'b0, sha} + {1'b0, shw});
            prod = (sa ^ sw) ? -{{(XW - P){1'b0}}, mag} : {{(XW - P){1'b0}}, mag};
            // Special operands: the product counts as zero and raises a flag.
            if (a_nan || w_nan || (a_inf && w_zero) || (w_inf && a_zero)) begin
                b_nan = 1;
                prod = 0;
            end else if (a_inf || w_inf) begin
                if (sa ^ sw) b_ninf = 1; else b_pinf = 1;
                prod = 0;
            end
            // Round onto the accumulator grid.
            if (SHIFT <= 0) begin
                aligned = prod <<< NEG;
            end else if (RNE == 0) begin
                aligned = prod >>> SHIFT;
            end else begin
                half = 1;
                half = half <<< (SHIFT - 1);
                aligned = (prod + half - 1 + ((prod >>> SHIFT) & 1)) >>> SHIFT;
            end
            sum = sum + aligned;
        end
    end

    // Pipeline: PIPE stages of {en, clr, sum, flags}.
    reg [PIPE:0] q_en, q_clr, q_nan, q_pinf, q_ninf;
    reg signed [XW-1:0] q_sum [0:PIPE];
    integer k;
    always @(posedge clk) begin
        if (rst) begin
            q_en <= 0;
            q_clr <= 0;
        end else begin
            q_en <= {q_en[PIPE-1 >= 0 ? PIPE-1 : 0:0], en};
            q_clr <= {q_clr[PIPE-1 >= 0 ? PIPE-1 : 0:0], clr};
        end
        q_nan <= {q_nan[PIPE-1 >= 0 ? PIPE-1 : 0:0], b_nan};
        q_pinf <= {q_pinf[PIPE-1 >= 0 ? PIPE-1 : 0:0], b_pinf};
        q_ninf <= {q_ninf[PIPE-1 >= 0 ? PIPE-1 : 0:0], b_ninf};
        q_sum[0] <= sum;
        for (k = 1; k <= PIPE; k = k + 1) q_sum[k] <= q_sum[k-1];
    end
    wire d_en, d_clr, d_nan, d_pinf, d_ninf;
    wire signed [XW-1:0] d_sum;
    generate
        if (PIPE == 0) begin : g_comb
            assign d_en = en;
            assign d_clr = clr;
            assign d_nan = b_nan;
            assign d_pinf = b_pinf;
            assign d_ninf = b_ninf;
            assign d_sum = sum;
        end else begin : g_pipe
            assign d_en = q_en[PIPE-1];
            assign d_clr = q_clr[PIPE-1];
            assign d_nan = q_nan[PIPE-1];
            assign d_pinf = q_pinf[PIPE-1];
            assign d_ninf = q_ninf[PIPE-1];
            assign d_sum = q_sum[PIPE-1];
        end
    endgenerate

    // Accumulate, then wrap or saturate.
    wire signed [SW-1:0] maxv = {{(SW - ACC_W + 1){1'b0}}, {(ACC_W - 1){1'b1}}};
    wire signed [SW-1:0] minv = ~maxv;
    wire signed [SW-1:0] base = d_clr ? 0 : acc;
    wire signed [SW-1:0] total = base + d_sum;
    wire out_of_range = total > maxv || total < minv;
    always @(posedge clk) begin
        if (rst) begin
            acc <= 0; ovf <= 0; nan <= 0; pinf <= 0; ninf <= 0;
        end else if (d_en) begin
            if (out_of_range && SAT != 0) acc <= total < 0 ? minv[ACC_W-1:0] : maxv[ACC_W-1:0];
            else acc <= total[ACC_W-1:0];
            ovf <= (ovf && !d_clr) || out_of_range;
            nan <= (nan && !d_clr) || d_nan;
            pinf <= (pinf && !d_clr) || d_pinf;
            ninf <= (ninf && !d_clr) || d_ninf;
        end else if (d_clr) begin
            acc <= 0; ovf <= 0; nan <= 0; pinf <= 0; ninf <= 0;
        end
    end
endmodule
