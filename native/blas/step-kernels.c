/*
 * The non-BLAS kernels a training step spends most of its time in on tfjs-wasm, run natively on
 * the same heap the products use: reductions of a [rows, cols] block over its rows or over its
 * columns (bias and layer-norm gradients, layer-norm statistics), and a fused softmax cross
 * entropy (the statistics of the output softmax, and its gradient in one pass). tfjs-wasm runs
 * these as scalar loops: a leading-axes sum costs ~6 ns per element and `exp` ~7 ns, where these
 * loops are vectorised (see `VECTOR_CLONES`) and memory-bound.
 *
 * Every function takes a typed array over the heap and byte offsets into its buffer, checks that
 * each operand lies inside it, and accumulates sums in double precision as the JS kernels do.
 */
#include <math.h>
#include <stdio.h>
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

/* One machine-code version per vector width, picked when the addon loads (GCC's ifunc): the
 * addon is built on one machine and may run on another of a different kind. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTOR_CLONES
#endif

#define LANES 16

/* The heap's base address and byte length from a typed array over it; 0 (and a thrown error) if not one. */
static int heap_of(napi_env env, napi_value view, const char *fn, uint8_t **base, uint64_t *limit) {
  napi_typedarray_type type;
  size_t length, byte_offset;
  void *data;
  napi_value buffer;
  if (napi_get_typedarray_info(env, view, &type, &length, &data, &buffer, &byte_offset) != napi_ok) {
    char msg[160];
    snprintf(msg, sizeof msg, "supernet_blas.%s: the first argument must be a typed array over the heap", fn);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  size_t elem = type == napi_float32_array || type == napi_int32_array || type == napi_uint32_array ? 4 : type == napi_float64_array ? 8 : 1;
  *base = (uint8_t *)data - byte_offset;
  *limit = (uint64_t)byte_offset + (uint64_t)length * elem;
  return 1;
}

/* Reads argv[from..from+n) as non-negative integers into v; 0 (and a thrown RangeError) otherwise. */
static int read_counts(napi_env env, napi_value *argv, size_t from, size_t n, int64_t *v, const char *fn) {
  for (size_t i = 0; i < n; i++) {
    if (napi_get_value_int64(env, argv[from + i], &v[i]) != napi_ok || v[i] < 0) {
      char msg[160];
      snprintf(msg, sizeof msg, "supernet_blas.%s: sizes and offsets must be non-negative integers", fn);
      napi_throw_range_error(env, NULL, msg);
      return 0;
    }
  }
  return 1;
}

/* 0 (and a thrown RangeError naming the operand) when [offset, offset + bytes) leaves the heap or is misaligned. */
static int inside(napi_env env, const char *fn, const char *operand, int64_t offset, uint64_t bytes, uint64_t limit) {
  if ((uint64_t)offset + bytes > limit || (offset & 3) != 0) {
    char msg[200];
    snprintf(msg, sizeof msg, "supernet_blas.%s: %s reaches past the end of the heap or is not 4-byte aligned", fn, operand);
    napi_throw_range_error(env, NULL, msg);
    return 0;
  }
  return 1;
}

static int get_args(napi_env env, napi_callback_info info, size_t expected, napi_value *argv, const char *fn) {
  size_t argc = expected;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != expected) {
    char msg[160];
    snprintf(msg, sizeof msg, "supernet_blas.%s: expected %zu arguments", fn, expected);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  return 1;
}

/* The preamble of every function here: exactly argc arguments, the heap from argv[0], and
 * argv[1..counts] as non-negative integers in v; 0 (and a thrown error) otherwise. */
static int open_call(napi_env env, napi_callback_info info, const char *fn, size_t argc, napi_value *argv, size_t counts, int64_t *v, uint8_t **base, uint64_t *limit) {
  return get_args(env, info, argc, argv, fn) && heap_of(env, argv[0], fn, base, limit) && read_counts(env, argv, 1, counts, v, fn);
}

/* Reads a fraction named `name` from value into *out; 0 (and a thrown RangeError) unless it lies in
 * [0, 1), or in (0, 1) when zero_allowed is 0. */
static int read_fraction(napi_env env, napi_value value, const char *fn, const char *name, int zero_allowed, double *out) {
  if (napi_get_value_double(env, value, out) != napi_ok || !((zero_allowed ? *out >= 0 : *out > 0) && *out < 1)) {
    char msg[160];
    snprintf(msg, sizeof msg, "supernet_blas.%s: %s must be a number in %s0, 1)", fn, name, zero_allowed ? "[" : "(");
    napi_throw_range_error(env, NULL, msg);
    return 0;
  }
  return 1;
}

/* out[c] = sum over r of x[r, c]: a block's sum over its leading axes. */
VECTOR_CLONES static void sum_rows_kernel(const float *x, float *out, int64_t rows, int64_t cols, double *acc) {
  memset(acc, 0, (size_t)cols * sizeof(double));
  for (int64_t r = 0; r < rows; r++) {
    const float *row = x + r * cols;
    for (int64_t c = 0; c < cols; c++) acc[c] += (double)row[c];
  }
  for (int64_t c = 0; c < cols; c++) out[c] = (float)acc[c];
}

/* out[r] = sum over c of x[r, c]: a block's sum over its trailing axes. */
VECTOR_CLONES static void sum_cols_kernel(const float *x, float *out, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; r++) {
    const float *row = x + r * cols;
    double lanes[LANES] = {0};
    int64_t c = 0;
    for (; c + LANES <= cols; c += LANES)
      for (int l = 0; l < LANES; l++) lanes[l] += (double)row[c + l];
    double s = 0;
    for (; c < cols; c++) s += (double)row[c];
    for (int l = 0; l < LANES; l++) s += lanes[l];
    out[r] = (float)s;
  }
}

/* sumRows(view, rows, cols, xOffset, outOffset) and sumCols(...): see the kernels above. */
static napi_value sum_block(napi_env env, napi_callback_info info, int over_rows) {
  const char *fn = over_rows ? "sumRows" : "sumCols";
  napi_value argv[5];
  uint8_t *base;
  uint64_t limit;
  int64_t v[4];
  if (!open_call(env, info, fn, 5, argv, 4, v, &base, &limit)) return NULL;
  int64_t rows = v[0], cols = v[1];
  if (!inside(env, fn, "x", v[2], (uint64_t)rows * cols * 4, limit) || !inside(env, fn, "out", v[3], (uint64_t)(over_rows ? cols : rows) * 4, limit)) return NULL;
  const float *x = (const float *)(base + v[2]);
  float *out = (float *)(base + v[3]);
  if (over_rows) {
    double *acc = malloc((size_t)(cols > 0 ? cols : 1) * sizeof(double));
    if (acc == NULL) {
      napi_throw_error(env, NULL, "supernet_blas.sumRows: out of memory");
      return NULL;
    }
    sum_rows_kernel(x, out, rows, cols, acc);
    free(acc);
  } else {
    sum_cols_kernel(x, out, rows, cols);
  }
  return NULL;
}

static napi_value sum_rows(napi_env env, napi_callback_info info) { return sum_block(env, info, 1); }
static napi_value sum_cols(napi_env env, napi_callback_info info) { return sum_block(env, info, 0); }

/*
 * exp(x) for x <= 0 (the softmax's shifted logits), in a form the compiler vectorises: Cephes'
 * expf (range reduction by ln 2 in two parts, a degree-5 polynomial on [-ln2/2, ln2/2], the power
 * of two built in the exponent bits), within 2 ulp of expf. Below -87.3 (where expf leaves the
 * normal floats) it returns 0.
 */
static inline float exp_nonpositive(float x) {
  const float log2e = 1.44269504088896341f, c1 = 0.693359375f, c2 = -2.12194440e-4f;
  float xc = x < -87.0f ? -87.0f : x;
  /* Round to nearest by the 1.5 * 2^23 trick: floorf does not vectorise without -ffast-math. */
  const float shifter = 12582912.0f;
  float n = (xc * log2e + shifter) - shifter;
  float r = xc - n * c1 - n * c2;
  float z = r * r;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * z + r + 1.0f;
  union {
    int32_t i;
    float f;
  } scale = {.i = ((int32_t)n + 127) << 23};
  return x < -87.3f ? 0.0f : p * scale.f;
}

/*
 * Per row of logits x [rows, cols]: stats[3r] = the row's label-smoothed cross entropy against
 * targets[r], (1 - s)(lse - x_t) + s(lse - mean), computed in double; stats[3r + 1] = the row's
 * max m and stats[3r + 2] = log sum exp(x - m), which the gradient needs apart: lse = m + that,
 * rounded to float, would lose the softmax's precision when the logits are large.
 */
VECTOR_CLONES static void xent_stats_kernel(const float *x, const int32_t *targets, float *stats, int64_t rows, int64_t cols, double smoothing) {
  for (int64_t r = 0; r < rows; r++) {
    const float *row = x + r * cols;
    float top[LANES];
    for (int l = 0; l < LANES; l++) top[l] = -INFINITY;
    int64_t c = 0;
    for (; c + LANES <= cols; c += LANES)
      for (int l = 0; l < LANES; l++) top[l] = row[c + l] > top[l] ? row[c + l] : top[l];
    float m = -INFINITY;
    for (; c < cols; c++) m = row[c] > m ? row[c] : m;
    for (int l = 0; l < LANES; l++) m = top[l] > m ? top[l] : m;
    float lanes[LANES] = {0};
    double total[LANES] = {0};
    c = 0;
    for (; c + LANES <= cols; c += LANES)
      for (int l = 0; l < LANES; l++) {
        lanes[l] += exp_nonpositive(row[c + l] - m);
        total[l] += (double)row[c + l];
      }
    double s = 0, t = 0;
    for (; c < cols; c++) {
      s += exp_nonpositive(row[c] - m);
      t += (double)row[c];
    }
    for (int l = 0; l < LANES; l++) {
      s += lanes[l];
      t += total[l];
    }
    double log_sum = log(s);
    double mean = t / (double)cols;
    stats[3 * r] = (float)((1 - smoothing) * (log_sum + ((double)m - row[targets[r]])) + smoothing * (log_sum + ((double)m - mean)));
    stats[3 * r + 1] = m;
    stats[3 * r + 2] = (float)log_sum;
  }
}

/*
 * grad[r, c] = w[r] (exp(x[r, c] - lse[r]) - smoothing / cols), less w[r] (1 - smoothing) at the
 * target column: the gradient of w[r] times the label-smoothed cross entropy of row r.
 */
VECTOR_CLONES static void xent_grad_kernel(const float *x, const float *stats, const int32_t *targets, const float *w, float *grad, int64_t rows, int64_t cols, float smoothing) {
  const float uniform = smoothing / (float)cols;
  for (int64_t r = 0; r < rows; r++) {
    const float *row = x + r * cols;
    float *g = grad + r * cols;
    const float wr = w[r], m = stats[3 * r + 1], log_sum = stats[3 * r + 2];
    if (wr == 0.0f) {
      memset(g, 0, (size_t)cols * sizeof(float));
      continue;
    }
    for (int64_t c = 0; c < cols; c++) g[c] = wr * (exp_nonpositive((row[c] - m) - log_sum) - uniform);
    g[targets[r]] -= wr * (1.0f - smoothing);
  }
}

/* 0 (and a thrown RangeError naming the row) when a target is outside [0, cols). */
static int targets_in_range(napi_env env, const char *fn, const int32_t *targets, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; r++) {
    if (targets[r] < 0 || targets[r] >= cols) {
      char msg[200];
      snprintf(msg, sizeof msg, "supernet_blas.%s: target %d of row %lld is outside the vocabulary [0, %lld)", fn, targets[r], (long long)r, (long long)cols);
      napi_throw_range_error(env, NULL, msg);
      return 0;
    }
  }
  return 1;
}

/* xentStats(view, rows, cols, xOffset, targetsOffset, statsOffset, smoothing) */
static napi_value xent_stats(napi_env env, napi_callback_info info) {
  const char *fn = "xentStats";
  napi_value argv[7];
  uint8_t *base;
  uint64_t limit;
  int64_t v[5];
  if (!open_call(env, info, fn, 7, argv, 5, v, &base, &limit)) return NULL;
  int64_t rows = v[0], cols = v[1];
  if (cols == 0) {
    napi_throw_range_error(env, NULL, "supernet_blas.xentStats: cols (the vocabulary) must be at least 1");
    return NULL;
  }
  if (!inside(env, fn, "x", v[2], (uint64_t)rows * cols * 4, limit) || !inside(env, fn, "targets", v[3], (uint64_t)rows * 4, limit) ||
      !inside(env, fn, "stats", v[4], (uint64_t)rows * 12, limit))
    return NULL;
  const int32_t *targets = (const int32_t *)(base + v[3]);
  if (!targets_in_range(env, fn, targets, rows, cols)) return NULL;
  double smoothing;
  if (!read_fraction(env, argv[6], fn, "smoothing", 1, &smoothing)) return NULL;
  xent_stats_kernel((const float *)(base + v[2]), targets, (float *)(base + v[4]), rows, cols, smoothing);
  return NULL;
}

/* xentGrad(view, rows, cols, xOffset, statsOffset, targetsOffset, weightsOffset, gradOffset, smoothing) */
static napi_value xent_grad(napi_env env, napi_callback_info info) {
  const char *fn = "xentGrad";
  napi_value argv[9];
  uint8_t *base;
  uint64_t limit;
  int64_t v[7];
  if (!open_call(env, info, fn, 9, argv, 7, v, &base, &limit)) return NULL;
  double smoothing;
  if (!read_fraction(env, argv[8], fn, "smoothing", 1, &smoothing)) return NULL;
  int64_t rows = v[0], cols = v[1];
  if (!inside(env, fn, "x", v[2], (uint64_t)rows * cols * 4, limit) || !inside(env, fn, "stats", v[3], (uint64_t)rows * 12, limit) ||
      !inside(env, fn, "targets", v[4], (uint64_t)rows * 4, limit) || !inside(env, fn, "weights", v[5], (uint64_t)rows * 4, limit) ||
      !inside(env, fn, "grad", v[6], (uint64_t)rows * cols * 4, limit))
    return NULL;
  const int32_t *targets = (const int32_t *)(base + v[4]);
  if (!targets_in_range(env, fn, targets, rows, cols)) return NULL;
  xent_grad_kernel((const float *)(base + v[2]), (const float *)(base + v[3]), targets, (const float *)(base + v[5]), (float *)(base + v[6]), rows, cols, (float)smoothing);
  return NULL;
}

/*
 * One Adam update of n weights (Kingma & Ba 2015, with AdamW's decoupled decay), in float32 in
 * the order src/train/adam.ts's tfjs composition uses:
 *   m' = b1 m + (1 - b1) g,   v' = b2 v + (1 - b2) g^2   (m = v = 0 when fresh)
 *   p' = p - step (m' / (sqrt(v') + eps)) - decay p
 * into fresh outputs: the inputs may be shared by other tensors, which must not change.
 */
VECTOR_CLONES static void adam_kernel(const float *restrict p, const float *restrict g, const float *restrict m, const float *restrict v, float *restrict p_out, float *restrict m_out,
                                      float *restrict v_out, int64_t n, int fresh, float b1, float b2,
                                      float eps, float step, float decay) {
  const float c1 = 1.0f - b1, c2 = 1.0f - b2;
  if (fresh) {
    for (int64_t i = 0; i < n; i++) {
      float mi = g[i] * c1;
      float vi = (g[i] * g[i]) * c2;
      m_out[i] = mi;
      v_out[i] = vi;
      p_out[i] = (p[i] - (mi / (sqrtf(vi) + eps)) * step) - p[i] * decay;
    }
  } else {
    for (int64_t i = 0; i < n; i++) {
      float mi = m[i] * b1 + g[i] * c1;
      float vi = v[i] * b2 + (g[i] * g[i]) * c2;
      m_out[i] = mi;
      v_out[i] = vi;
      p_out[i] = (p[i] - (mi / (sqrtf(vi) + eps)) * step) - p[i] * decay;
    }
  }
}

/* adamUpdate(view, n, pOffset, gOffset, mOffset, vOffset, pOutOffset, mOutOffset, vOutOffset, fresh, beta1, beta2, epsilon, stepSize, decay) */
static napi_value adam_update(napi_env env, napi_callback_info info) {
  const char *fn = "adamUpdate";
  napi_value argv[15];
  uint8_t *base;
  uint64_t limit;
  int64_t v[8];
  if (!open_call(env, info, fn, 15, argv, 8, v, &base, &limit)) return NULL;
  bool fresh;
  CHECK(napi_get_value_bool(env, argv[9], &fresh));
  double h[5];
  for (int i = 0; i < 5; i++) CHECK(napi_get_value_double(env, argv[10 + i], &h[i]));
  const int64_t n = v[0];
  const uint64_t bytes = (uint64_t)n * 4;
  static const char *names[7] = {"param", "grad", "m", "v", "param out", "m out", "v out"};
  for (int i = 0; i < 7; i++)
    if (!(fresh && (i == 2 || i == 3)) && !inside(env, fn, names[i], v[1 + i], bytes, limit)) return NULL;
  adam_kernel((const float *)(base + v[1]), (const float *)(base + v[2]), fresh ? NULL : (const float *)(base + v[3]), fresh ? NULL : (const float *)(base + v[4]),
              (float *)(base + v[5]), (float *)(base + v[6]), (float *)(base + v[7]), n, fresh, (float)h[0], (float)h[1], (float)h[2], (float)h[3], (float)h[4]);
  return NULL;
}

/* Sums of a row of n floats in double, in LANES partial sums the compiler can vectorise. */
#define ROW_SUM(expr, n, out)                                   \
  do {                                                          \
    double lanes_[LANES] = {0};                                 \
    int64_t c_ = 0;                                             \
    for (; c_ + LANES <= (n); c_ += LANES)                      \
      for (int l_ = 0; l_ < LANES; l_++) {                      \
        const int64_t c = c_ + l_;                              \
        lanes_[l_] += (double)(expr);                           \
      }                                                         \
    double s_ = 0;                                              \
    for (; c_ < (n); c_++) {                                    \
      const int64_t c = c_;                                     \
      s_ += (double)(expr);                                     \
    }                                                           \
    for (int l_ = 0; l_ < LANES; l_++) s_ += lanes_[l_];        \
    (out) = s_;                                                 \
  } while (0)

/*
 * Layer norm over the last axis of x [rows, cols]: y = (x - mean) rstd g + b with rstd =
 * 1 / sqrt(var + eps), var the population variance; stats[2r], stats[2r + 1] = mean, rstd.
 */
VECTOR_CLONES static void layer_norm_kernel(const float *restrict x, const float *restrict g, const float *restrict b, float *restrict y, float *restrict stats, int64_t rows,
                                            int64_t cols, double eps) {
  for (int64_t r = 0; r < rows; r++) {
    const float *restrict row = x + r * cols;
    double sum, sq;
    ROW_SUM(row[c], cols, sum);
    const double mean = sum / (double)cols;
    const float meanf = (float)mean;
    ROW_SUM(((double)row[c] - mean) * ((double)row[c] - mean), cols, sq);
    const float rstd = (float)(1.0 / sqrt(sq / (double)cols + eps));
    float *restrict out = y + r * cols;
    for (int64_t c = 0; c < cols; c++) out[c] = (row[c] - meanf) * rstd * g[c] + b[c];
    stats[2 * r] = meanf;
    stats[2 * r + 1] = rstd;
  }
}

/*
 * Its gradient from dy: with xhat = (x - mean) rstd and h = dy g,
 *   dx = rstd (h - mean(h) - xhat mean(h xhat)),  dg = sum over rows of dy xhat,  db = sum of dy.
 * acc holds 2 cols doubles for dg and db.
 */
VECTOR_CLONES static void layer_norm_grad_kernel(const float *restrict dy, const float *restrict x, const float *restrict stats, const float *restrict g, float *restrict dx,
                                                 float *restrict dg, float *restrict db, int64_t rows, int64_t cols, double *restrict acc) {
  double *restrict acc_g = acc, *restrict acc_b = acc + cols;
  memset(acc, 0, 2 * (size_t)cols * sizeof(double));
  for (int64_t r = 0; r < rows; r++) {
    const float *restrict xr = x + r * cols, *restrict dyr = dy + r * cols;
    const float mean = stats[2 * r], rstd = stats[2 * r + 1];
    double h_sum, hx_sum;
    ROW_SUM(dyr[c] * g[c], cols, h_sum);
    ROW_SUM(dyr[c] * g[c] * ((xr[c] - mean) * rstd), cols, hx_sum);
    const float h_mean = (float)(h_sum / (double)cols), hx_mean = (float)(hx_sum / (double)cols);
    float *restrict out = dx + r * cols;
    for (int64_t c = 0; c < cols; c++) {
      const float xhat = (xr[c] - mean) * rstd;
      out[c] = rstd * (dyr[c] * g[c] - h_mean - xhat * hx_mean);
      acc_g[c] += (double)(dyr[c] * xhat);
      acc_b[c] += (double)dyr[c];
    }
  }
  for (int64_t c = 0; c < cols; c++) {
    dg[c] = (float)acc_g[c];
    db[c] = (float)acc_b[c];
  }
}

/* layerNorm(view, rows, cols, xOffset, gOffset, bOffset, yOffset, statsOffset, epsilon) */
static napi_value layer_norm(napi_env env, napi_callback_info info) {
  const char *fn = "layerNorm";
  napi_value argv[9];
  uint8_t *base;
  uint64_t limit;
  int64_t v[7];
  if (!open_call(env, info, fn, 9, argv, 7, v, &base, &limit)) return NULL;
  double eps;
  CHECK(napi_get_value_double(env, argv[8], &eps));
  const int64_t rows = v[0], cols = v[1];
  const uint64_t block = (uint64_t)rows * cols * 4, vec = (uint64_t)cols * 4;
  if (!inside(env, fn, "x", v[2], block, limit) || !inside(env, fn, "gain", v[3], vec, limit) || !inside(env, fn, "bias", v[4], vec, limit) ||
      !inside(env, fn, "y", v[5], block, limit) || !inside(env, fn, "stats", v[6], (uint64_t)rows * 8, limit))
    return NULL;
  layer_norm_kernel((const float *)(base + v[2]), (const float *)(base + v[3]), (const float *)(base + v[4]), (float *)(base + v[5]), (float *)(base + v[6]), rows, cols, eps);
  return NULL;
}

/* layerNormGrad(view, rows, cols, dyOffset, xOffset, statsOffset, gOffset, dxOffset, dgOffset, dbOffset) */
static napi_value layer_norm_grad(napi_env env, napi_callback_info info) {
  const char *fn = "layerNormGrad";
  napi_value argv[10];
  uint8_t *base;
  uint64_t limit;
  int64_t v[9];
  if (!open_call(env, info, fn, 10, argv, 9, v, &base, &limit)) return NULL;
  const int64_t rows = v[0], cols = v[1];
  const uint64_t block = (uint64_t)rows * cols * 4, vec = (uint64_t)cols * 4;
  if (!inside(env, fn, "dy", v[2], block, limit) || !inside(env, fn, "x", v[3], block, limit) || !inside(env, fn, "stats", v[4], (uint64_t)rows * 8, limit) ||
      !inside(env, fn, "gain", v[5], vec, limit) || !inside(env, fn, "dx", v[6], block, limit) || !inside(env, fn, "dgain", v[7], vec, limit) ||
      !inside(env, fn, "dbias", v[8], vec, limit))
    return NULL;
  double *acc = malloc(2 * (size_t)(cols > 0 ? cols : 1) * sizeof(double));
  if (acc == NULL) {
    napi_throw_error(env, NULL, "supernet_blas.layerNormGrad: out of memory");
    return NULL;
  }
  layer_norm_grad_kernel((const float *)(base + v[2]), (const float *)(base + v[3]), (const float *)(base + v[4]), (const float *)(base + v[5]), (float *)(base + v[6]),
                         (float *)(base + v[7]), (float *)(base + v[8]), rows, cols, acc);
  free(acc);
  return NULL;
}

/*
 * Dropout with exactly tf.dropout's mask for the same seed. tfjs draws u from seedrandom's Alea
 * seeded with String(seed), stores it as float32, and keeps x with multiplier
 * floor(u + keep) / keep in float32 arithmetic; this reproduces that stream and arithmetic
 * bit for bit, so a seeded training run drops the same activations with or without the addon,
 * at half the cost (tfjs generates the numbers in JavaScript, then runs four more kernels over them).
 * The generator is double arithmetic as JavaScript does it: no fused multiply-adds.
 */
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")

typedef struct {
  double n; /* Mash's running state */
} Mash;

/* ToUint32 of a non-negative finite double, as JavaScript's `>>> 0`. */
static double to_uint32(double x) { return fmod(floor(x), 4294967296.0); }

/* seedrandom's Mash over UTF-16 code units. */
static double mash(Mash *m, const uint16_t *data, size_t length) {
  double n = m->n;
  for (size_t i = 0; i < length; i++) {
    n += data[i];
    double h = 0.02519603282416938 * n;
    n = to_uint32(h);
    h -= n;
    h *= n;
    n = to_uint32(h);
    h -= n;
    n += h * 4294967296.0;
  }
  m->n = n;
  return to_uint32(n) * 2.3283064365386963e-10;
}

typedef struct {
  double s0, s1, s2, c;
} Alea;

static void alea_seed(Alea *a, const uint16_t *seed, size_t length) {
  Mash m = {4022871197.0}; /* 0xefc8249d */
  const uint16_t space = ' ';
  a->c = 1;
  a->s0 = mash(&m, &space, 1);
  a->s1 = mash(&m, &space, 1);
  a->s2 = mash(&m, &space, 1);
  a->s0 -= mash(&m, seed, length);
  if (a->s0 < 0) a->s0 += 1;
  a->s1 -= mash(&m, seed, length);
  if (a->s1 < 0) a->s1 += 1;
  a->s2 -= mash(&m, seed, length);
  if (a->s2 < 0) a->s2 += 1;
}

static inline double alea_next(Alea *a) {
  double t = 2091639 * a->s0 + a->c * 2.3283064365386963e-10;
  a->s0 = a->s1;
  a->s1 = a->s2;
  a->c = (double)(int64_t)t; /* t | 0: t lies in [0, 2091640) */
  return a->s2 = t - a->c;
}

/* y = x · floor(u + keep) / keep with u from the seeded stream; mask keeps floor(u + keep) as a byte. */
static void dropout_kernel(const float *x, float *y, uint8_t *mask, int64_t n, float keep, const uint16_t *seed, size_t seed_length) {
  Alea a;
  alea_seed(&a, seed, seed_length);
  for (int64_t i = 0; i < n; i++) {
    float u = (float)alea_next(&a);
    float kept = floorf(u + keep);
    mask[i] = (uint8_t)kept;
    y[i] = x[i] * (kept / keep);
  }
}

#pragma GCC pop_options

/* dx = dy · mask / keep: the gradient of the dropout above. */
VECTOR_CLONES static void dropout_grad_kernel(const float *dy, const uint8_t *mask, float *dx, int64_t n, float keep) {
  for (int64_t i = 0; i < n; i++) dx[i] = dy[i] * ((float)mask[i] / keep);
}

/* Reads the keep probability (1 - rate) as float32, as tfjs holds it; 0 (and a thrown RangeError) unless in (0, 1). */
static int read_keep(napi_env env, napi_value value, const char *fn, float *out) {
  double keep;
  if (!read_fraction(env, value, fn, "keep", 0, &keep)) return 0;
  *out = (float)keep;
  return 1;
}

/* dropout(view, n, xOffset, yOffset, maskOffset, keep, seed): seed is the string tfjs seeds Alea with. */
static napi_value dropout(napi_env env, napi_callback_info info) {
  const char *fn = "dropout";
  napi_value argv[7];
  uint8_t *base;
  uint64_t limit;
  int64_t v[4];
  if (!open_call(env, info, fn, 7, argv, 4, v, &base, &limit)) return NULL;
  float keep;
  if (!read_keep(env, argv[5], fn, &keep)) return NULL;
  size_t seed_length;
  if (napi_get_value_string_utf16(env, argv[6], NULL, 0, &seed_length) != napi_ok) {
    napi_throw_type_error(env, NULL, "supernet_blas.dropout: seed must be a string");
    return NULL;
  }
  const int64_t n = v[0];
  if (!inside(env, fn, "x", v[1], (uint64_t)n * 4, limit) || !inside(env, fn, "y", v[2], (uint64_t)n * 4, limit) || !inside(env, fn, "mask", v[3], (uint64_t)n, limit))
    return NULL;
  uint16_t *seed = malloc((seed_length + 1) * sizeof(uint16_t));
  if (seed == NULL) {
    napi_throw_error(env, NULL, "supernet_blas.dropout: out of memory");
    return NULL;
  }
  if (napi_get_value_string_utf16(env, argv[6], (char16_t *)seed, seed_length + 1, &seed_length) != napi_ok) {
    free(seed);
    napi_throw_error(env, NULL, "supernet_blas.dropout: cannot read the seed");
    return NULL;
  }
  dropout_kernel((const float *)(base + v[1]), (float *)(base + v[2]), base + v[3], n, keep, seed, seed_length);
  free(seed);
  return NULL;
}

/* dropoutGrad(view, n, dyOffset, maskOffset, dxOffset, keep) */
static napi_value dropout_grad(napi_env env, napi_callback_info info) {
  const char *fn = "dropoutGrad";
  napi_value argv[6];
  uint8_t *base;
  uint64_t limit;
  int64_t v[4];
  if (!open_call(env, info, fn, 6, argv, 4, v, &base, &limit)) return NULL;
  float keep;
  if (!read_keep(env, argv[5], fn, &keep)) return NULL;
  const int64_t n = v[0];
  if (!inside(env, fn, "dy", v[1], (uint64_t)n * 4, limit) || !inside(env, fn, "mask", v[2], (uint64_t)n, limit) || !inside(env, fn, "dx", v[3], (uint64_t)n * 4, limit))
    return NULL;
  dropout_grad_kernel((const float *)(base + v[1]), base + v[2], (float *)(base + v[3]), n, keep);
  return NULL;
}

napi_value register_step_kernels(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sumRows", NULL, sum_rows, NULL, NULL, NULL, napi_default, NULL},
      {"sumCols", NULL, sum_cols, NULL, NULL, NULL, napi_default, NULL},
      {"xentStats", NULL, xent_stats, NULL, NULL, NULL, napi_default, NULL},
      {"xentGrad", NULL, xent_grad, NULL, NULL, NULL, napi_default, NULL},
      {"adamUpdate", NULL, adam_update, NULL, NULL, NULL, napi_default, NULL},
      {"layerNorm", NULL, layer_norm, NULL, NULL, NULL, napi_default, NULL},
      {"layerNormGrad", NULL, layer_norm_grad, NULL, NULL, NULL, napi_default, NULL},
      {"dropout", NULL, dropout, NULL, NULL, NULL, napi_default, NULL},
      {"dropoutGrad", NULL, dropout_grad, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}
