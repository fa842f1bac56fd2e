// minimac Verilator harness: replays a binary stimulus file on the unit (class Vdut, built
// with --prefix Vdut) and compares every output on every cycle with the golden model's values.
//
// Port word counts come from the build (-D flags written from the manifest), never from here:
//   MM_AW, MM_WW: 32-bit words of the a / w ports; MM_ACCW: words of acc; MM_FLAGS: 1 when the
//   unit has nan/pinf/ninf; MM_RES: 1 when it has the float result port res (at most 32 bits).
// Record layout (little-endian 32-bit words), one per cycle:
//   ctrl (bit0 rst, bit1 en, bit2 clr) | a[MM_AW] | w[MM_WW] | acc[MM_ACCW] | flags (bit0 ovf,
//   bit1 nan, bit2 pinf, bit3 ninf) | res (MM_RES words) | injected acc[MM_ACCW] | injected flags
// ctrl bit3 (inject): before the edge, the unit's acc, ovf (and flags) registers are overwritten
// with the injected values (MM_REG: the build's --public-flat-rw names them).
// The outputs compared on a record are the ones right after that record's rising edge.
// Output lines: "M <cycle> <acc words, most significant first, hex> <flags> [<res hex>]" per
// mismatch (at most MM_MAX_ERRORS), then "DONE <cycles run> <mismatches>".
#include "Vdut.h"
#include "Vdut___024root.h"
#include "verilated.h"
#if MM_TRACE
#include "verilated_vcd_c.h"
#endif
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

// The top module's register `n` (the build has --public-flat-rw): rootp-><top>__DOT__<n>.
#define MM_CAT3(a, b, c) a##b##c
#define MM_XCAT3(a, b, c) MM_CAT3(a, b, c)
#define MM_REG(n) top.rootp->MM_XCAT3(MM_TOP, __DOT__, n)

#ifndef MM_RES
#define MM_RES 0
#endif
#ifndef MM_MAX_ERRORS
#define MM_MAX_ERRORS 20
#endif

// Port setters/getters by the C++ type Verilator picks for the width (CData..QData, VlWide).
static inline void put(CData& p, const uint32_t* w) { p = static_cast<CData>(w[0]); }
static inline void put(SData& p, const uint32_t* w) { p = static_cast<SData>(w[0]); }
static inline void put(IData& p, const uint32_t* w) { p = w[0]; }
static inline void put(QData& p, const uint32_t* w) { p = static_cast<QData>(w[0]) | (static_cast<QData>(w[1]) << 32); }
template <std::size_t N> static inline void put(VlWide<N>& p, const uint32_t* w) {
    for (std::size_t i = 0; i < N; i++) p[i] = w[i];
}
static inline void get(const CData& p, uint32_t* w) { w[0] = p; }
static inline void get(const SData& p, uint32_t* w) { w[0] = p; }
static inline void get(const IData& p, uint32_t* w) { w[0] = p; }
static inline void get(const QData& p, uint32_t* w) { w[0] = static_cast<uint32_t>(p); w[1] = static_cast<uint32_t>(p >> 32); }
template <std::size_t N> static inline void get(const VlWide<N>& p, uint32_t* w) {
    for (std::size_t i = 0; i < N; i++) w[i] = p[i];
}

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s STIMULUS [VCD]\n", argv[0]);
        return 2;
    }
    const std::size_t rec = 1 + MM_AW + MM_WW + MM_ACCW + 1 + MM_RES + MM_ACCW + 1;
    std::FILE* f = std::fopen(argv[1], "rb");
    if (!f) {
        std::perror(argv[1]);
        return 2;
    }
    std::vector<uint32_t> data;
    uint32_t buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 4, 4096, f)) > 0) data.insert(data.end(), buf, buf + n);
    std::fclose(f);
    if (data.size() % rec != 0) {
        std::fprintf(stderr, "stimulus size %zu words is not a multiple of the record size %zu\n", data.size(), rec);
        return 2;
    }
    const std::size_t cycles = data.size() / rec;

    VerilatedContext ctx;
    ctx.randReset(2);  // undefined state starts random: the first reset edge must fix it
    Vdut top(&ctx);
#if MM_TRACE
    VerilatedVcdC* vcd = nullptr;
    if (argc > 2) {
        ctx.traceEverOn(true);
        vcd = new VerilatedVcdC;
        top.trace(vcd, 99);
        vcd->open(argv[2]);
    }
#endif
    uint64_t t = 0;
    top.clk = 0;
    top.eval();
    unsigned errors = 0;
    uint32_t got[MM_ACCW];
    for (std::size_t c = 0; c < cycles; c++) {
        const uint32_t* r = &data[c * rec];
        top.rst = r[0] & 1;
        top.en = (r[0] >> 1) & 1;
        top.clr = (r[0] >> 2) & 1;
        put(top.a, r + 1);
        put(top.w, r + 1 + MM_AW);
#if MM_INJECT
        if ((r[0] >> 3) & 1) {
            const uint32_t* inj = r + 1 + MM_AW + MM_WW + MM_ACCW + 1 + MM_RES;
            put(MM_REG(acc), inj);
            MM_REG(ovf) = inj[MM_ACCW] & 1u;
#if MM_FLAGS
            MM_REG(nan) = (inj[MM_ACCW] >> 1) & 1u;
            MM_REG(pinf) = (inj[MM_ACCW] >> 2) & 1u;
            MM_REG(ninf) = (inj[MM_ACCW] >> 3) & 1u;
#endif
        }
#endif
        top.clk = 0;
        top.eval();
#if MM_TRACE
        if (vcd) vcd->dump(t);
#endif
        t += 5;
        top.clk = 1;
        top.eval();
#if MM_TRACE
        if (vcd) vcd->dump(t);
#endif
        t += 5;
        const uint32_t* exp = r + 1 + MM_AW + MM_WW;
        get(top.acc, got);
        uint32_t flags = top.ovf & 1u;
#if MM_FLAGS
        flags |= (top.nan & 1u) << 1 | (top.pinf & 1u) << 2 | (top.ninf & 1u) << 3;
#endif
        bool bad = flags != exp[MM_ACCW];
        for (int i = 0; i < MM_ACCW; i++) bad |= got[i] != exp[i];
#if MM_RES
        uint32_t res = 0;
        get(top.res, &res);
        bad |= res != exp[MM_ACCW + 1];
#endif
        if (bad) {
            std::printf("M %zu ", c);
            for (int i = MM_ACCW - 1; i >= 0; i--) std::printf("%08x", got[i]);
#if MM_RES
            std::printf(" %x %x\n", flags, res);
#else
            std::printf(" %x\n", flags);
#endif
            if (++errors >= MM_MAX_ERRORS) {
                std::printf("DONE %zu %u\n", c + 1, errors);
                break;
            }
        }
    }
    if (errors < MM_MAX_ERRORS) std::printf("DONE %zu %u\n", cycles, errors);
#if MM_TRACE
    if (vcd) {
        vcd->close();
        delete vcd;
    }
#endif
    top.final();
    return 0;
}
