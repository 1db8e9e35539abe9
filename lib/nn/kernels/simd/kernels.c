/*
 * WebAssembly SIMD kernels for U-Net training on tfjs-backend-wasm (see ../simd.ts).
 *
 * The module imports the tfjs wasm backend's own linear memory, so every pointer below is a
 * tensor's memoryOffset in that heap: no copies between JavaScript and WebAssembly.
 * It must never touch memory it was not given: no static data, no stack arrays (checked by
 * build.sh, which refuses a module with data segments).
 *
 * Build: lib/nn/kernels/simd/build.sh (clang-14 + wasm-ld-14), output embedded in ../simd-wasm.ts.
 */
#include <wasm_simd128.h>

typedef unsigned int u32;

#define EXPORT(name) __attribute__((export_name(#name)))

/*
 * Filter gradient of a stride-1 convolution on the "extended" grid.
 *   x:  [np + slack, ci] padded input, flattened over (n, Hp, Wp); zero slack at the end
 *   dy: [np, co8]        output gradient placed on the same (n, Hp, Wp) grid, zero where no
 *                        output exists, channels padded with zeros to a multiple of 8
 *   dw: [kh, kw, ci, co8] accumulated into (caller zeroes it)
 * dw[i, j, c, o] += sum_p x[p + i*wp + j, c] * dy[p, o].
 * Positions are processed in chunks so that the x and dy rows of a chunk stay in cache
 * while all taps and channel tiles use them.
 */
EXPORT(conv_bpf_s1)
void conv_bpf_s1(const float *x, const float *dy, float *dw, u32 np, u32 wp, u32 kh, u32 kw,
                 u32 ci, u32 co8, u32 chunk) {
  for (u32 p0 = 0; p0 < np; p0 += chunk) {
    u32 p1 = p0 + chunk < np ? p0 + chunk : np;
    for (u32 i = 0; i < kh; i++) {
      for (u32 j = 0; j < kw; j++) {
        const u32 off = i * wp + j;
        float *dwt = dw + (i * kw + j) * ci * co8;
        u32 c = 0;
        for (; c + 4 <= ci; c += 4) {
          for (u32 o = 0; o < co8; o += 8) {
            float *d = dwt + c * co8 + o;
            v128_t a00 = wasm_v128_load(d), a01 = wasm_v128_load(d + 4);
            v128_t a10 = wasm_v128_load(d + co8), a11 = wasm_v128_load(d + co8 + 4);
            v128_t a20 = wasm_v128_load(d + 2 * co8), a21 = wasm_v128_load(d + 2 * co8 + 4);
            v128_t a30 = wasm_v128_load(d + 3 * co8), a31 = wasm_v128_load(d + 3 * co8 + 4);
            const float *xp = x + (p0 + off) * ci + c;
            const float *gp = dy + p0 * co8 + o;
            for (u32 p = p0; p < p1; p++) {
              v128_t g0 = wasm_v128_load(gp), g1 = wasm_v128_load(gp + 4);
              v128_t s0 = wasm_v128_load32_splat(xp), s1 = wasm_v128_load32_splat(xp + 1);
              v128_t s2 = wasm_v128_load32_splat(xp + 2), s3 = wasm_v128_load32_splat(xp + 3);
              a00 = wasm_f32x4_add(a00, wasm_f32x4_mul(s0, g0));
              a01 = wasm_f32x4_add(a01, wasm_f32x4_mul(s0, g1));
              a10 = wasm_f32x4_add(a10, wasm_f32x4_mul(s1, g0));
              a11 = wasm_f32x4_add(a11, wasm_f32x4_mul(s1, g1));
              a20 = wasm_f32x4_add(a20, wasm_f32x4_mul(s2, g0));
              a21 = wasm_f32x4_add(a21, wasm_f32x4_mul(s2, g1));
              a30 = wasm_f32x4_add(a30, wasm_f32x4_mul(s3, g0));
              a31 = wasm_f32x4_add(a31, wasm_f32x4_mul(s3, g1));
              xp += ci;
              gp += co8;
            }
            wasm_v128_store(d, a00); wasm_v128_store(d + 4, a01);
            wasm_v128_store(d + co8, a10); wasm_v128_store(d + co8 + 4, a11);
            wasm_v128_store(d + 2 * co8, a20); wasm_v128_store(d + 2 * co8 + 4, a21);
            wasm_v128_store(d + 3 * co8, a30); wasm_v128_store(d + 3 * co8 + 4, a31);
          }
        }
        for (; c < ci; c++) {
          for (u32 o = 0; o < co8; o += 8) {
            float *d = dwt + c * co8 + o;
            v128_t a00 = wasm_v128_load(d), a01 = wasm_v128_load(d + 4);
            const float *xp = x + (p0 + off) * ci + c;
            const float *gp = dy + p0 * co8 + o;
            for (u32 p = p0; p < p1; p++) {
              v128_t s0 = wasm_v128_load32_splat(xp);
              a00 = wasm_f32x4_add(a00, wasm_f32x4_mul(s0, wasm_v128_load(gp)));
              a01 = wasm_f32x4_add(a01, wasm_f32x4_mul(s0, wasm_v128_load(gp + 4)));
              xp += ci;
              gp += co8;
            }
            wasm_v128_store(d, a00); wasm_v128_store(d + 4, a01);
          }
        }
      }
    }
  }
}

/* Column sums: out[c] = sum_r a[r, c] for a [rows, cols] (bias gradients). */
EXPORT(col_sum)
void col_sum(const float *a, float *out, u32 rows, u32 cols) {
  u32 c = 0;
  for (; c + 4 <= cols; c += 4) {
    v128_t s = wasm_f32x4_splat(0.0f);
    const float *p = a + c;
    for (u32 r = 0; r < rows; r++, p += cols) s = wasm_f32x4_add(s, wasm_v128_load(p));
    wasm_v128_store(out + c, s);
  }
  for (; c < cols; c++) {
    float s = 0.0f;
    const float *p = a + c;
    for (u32 r = 0; r < rows; r++, p += cols) s += *p;
    out[c] = s;
  }
}

/*
 * Max-pool gradient (NHWC), the tfjs cpu backend's semantics: each output's gradient goes to
 * the first maximum of its window in row-major order (strictly greater wins); window cells in
 * the padding are skipped. dx must be zeroed by the caller. Pads are passed as signed ints.
 */
EXPORT(max_pool_grad)
void max_pool_grad(const float *x, const float *dy, float *dx, u32 n, u32 h, u32 w, u32 c,
                   u32 oh, u32 ow, u32 fh, u32 fw, u32 sh, u32 sw, u32 dh, u32 dw, int pad_top,
                   int pad_left) {
  for (u32 b = 0; b < n; b++) {
    const float *xb = x + b * h * w * c;
    float *dxb = dx + b * h * w * c;
    for (u32 oy = 0; oy < oh; oy++) {
      for (u32 ox = 0; ox < ow; ox++) {
        const float *g = dy + ((b * oh + oy) * ow + ox) * c;
        for (u32 ch = 0; ch < c; ch++) {
          float best = -__builtin_inff();
          int at = -1;
          for (u32 fy = 0; fy < fh; fy++) {
            int iy = (int)(oy * sh + fy * dh) - pad_top;
            if (iy < 0 || iy >= (int)h) continue;
            for (u32 fx = 0; fx < fw; fx++) {
              int ix = (int)(ox * sw + fx * dw) - pad_left;
              if (ix < 0 || ix >= (int)w) continue;
              int idx = (iy * (int)w + ix) * (int)c + (int)ch;
              float v = xb[idx];
              if (v > best) { best = v; at = idx; }
            }
          }
          if (at >= 0) dxb[at] += g[ch];
        }
      }
    }
  }
}

/*
 * Strided column-block copy (the concatenation and its gradient, SplitV, along the last axis):
 * dst[r, dst_col0 + k] = src[r, src_col0 + k] for r < rows, k < ncols.
 */
EXPORT(copy_cols)
void copy_cols(const float *src, float *dst, u32 rows, u32 src_cols, u32 src_col0, u32 dst_cols,
               u32 dst_col0, u32 ncols) {
  const float *s = src + src_col0;
  float *d = dst + dst_col0;
  if (ncols == 1) {
    for (u32 r = 0; r < rows; r++, s += src_cols, d += dst_cols) *d = *s;
    return;
  }
  for (u32 r = 0; r < rows; r++, s += src_cols, d += dst_cols) {
    u32 k = 0;
    for (; k + 4 <= ncols; k += 4) wasm_v128_store(d + k, wasm_v128_load(s + k));
    for (; k < ncols; k++) d[k] = s[k];
  }
}

/*
 * Gradient of nearest-neighbour upsampling by exactly 2 (align_corners and half-pixel centres
 * off): dx[b, y, x, :] = sum of dy over the 2×2 block (2y..2y+1, 2x..2x+1). dx [n, h, w, c].
 */
EXPORT(up2_grad)
void up2_grad(const float *dy, float *dx, u32 n, u32 h, u32 w, u32 c) {
  const u32 row = 2 * w * c; /* one dy row */
  for (u32 b = 0; b < n; b++) {
    for (u32 y = 0; y < h; y++) {
      const float *g0 = dy + ((b * 2 * h + 2 * y) * 2 * w) * c;
      const float *g1 = g0 + row;
      float *o = dx + ((b * h + y) * w) * c;
      for (u32 x = 0; x < w; x++, g0 += 2 * c, g1 += 2 * c, o += c) {
        u32 k = 0;
        for (; k + 4 <= c; k += 4) {
          v128_t s = wasm_f32x4_add(wasm_v128_load(g0 + k), wasm_v128_load(g0 + c + k));
          s = wasm_f32x4_add(s, wasm_f32x4_add(wasm_v128_load(g1 + k), wasm_v128_load(g1 + c + k)));
          wasm_v128_store(o + k, s);
        }
        for (; k < c; k++) o[k] = (g0[k] + g0[c + k]) + (g1[k] + g1[c + k]);
      }
    }
  }
}
