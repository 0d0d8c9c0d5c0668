/*
 * Single-precision matrix products through OpenBLAS on memory JavaScript already owns: the
 * operands are byte offsets into one ArrayBuffer or SharedArrayBuffer (tfjs-wasm's heap), so
 * nothing is copied in or out. Row-major, C[M,N] = alpha op(A) op(B), with op = transpose when
 * asked; a batched call runs such products over two batch levels at fixed strides.
 */
#include <node_api.h>
#include <cblas.h>
#include <stdint.h>
#include <stdio.h>

#include "addon.h"

static int get_i64(napi_env env, napi_value v, int64_t *out) {
  return napi_get_value_int64(env, v, out) == napi_ok;
}

/* The bytes an operand's matrices reach: `rows` rows of `cols` floats, `ld` floats apart, at
 * offset + o·outer_stride + i·inner_stride for every outer o and inner i. */
static uint64_t operand_end(const int64_t *l, int64_t rows, int64_t cols, int64_t outer, int64_t inner) {
  if (rows == 0 || cols == 0 || outer == 0 || inner == 0) return 0;
  return (uint64_t)l[0] + (uint64_t)(outer - 1) * l[2] + (uint64_t)(inner - 1) * l[3] + ((uint64_t)(rows - 1) * l[1] + cols) * 4;
}

/* gemm(view, transA, transB, alpha, layout): C = alpha op(A) op(B) for each of outer x inner
 * matrix triples. layout is a Float64Array of 17 non-negative integers:
 *   m, n, k, outer, inner, then for A, B and C in turn: byte offset, leading dimension (floats),
 *   byte stride over outer, byte stride over inner.
 * Two batch levels with free leading dimensions let attention multiply each head of
 * [batch, length, heads·size] in place: head h of item b sits at b·length·width + h·size with
 * leading dimension width, so no head is copied out or merged back. view: any typed array over
 * the heap (its buffer's base address is what counts). */
static napi_value gemm(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 5) {
    napi_throw_type_error(env, NULL, "supernet_blas.gemm: expected 5 arguments (view, transA, transB, alpha, layout)");
    return NULL;
  }
  napi_typedarray_type type;
  size_t length, byte_offset;
  void *data;
  napi_value buffer;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &byte_offset) != napi_ok) {
    napi_throw_type_error(env, NULL, "supernet_blas.gemm: view must be a typed array over the heap");
    return NULL;
  }
  uint8_t *base = (uint8_t *)data - byte_offset;
  bool ta, tb;
  double alpha;
  CHECK(napi_get_value_bool(env, argv[1], &ta));
  CHECK(napi_get_value_bool(env, argv[2], &tb));
  CHECK(napi_get_value_double(env, argv[3], &alpha));
  napi_typedarray_type layout_type;
  size_t layout_length;
  void *layout_data;
  if (napi_get_typedarray_info(env, argv[4], &layout_type, &layout_length, &layout_data, NULL, NULL) != napi_ok ||
      layout_type != napi_float64_array || layout_length != 17) {
    napi_throw_type_error(env, NULL, "supernet_blas.gemm: layout must be a Float64Array of 17 numbers");
    return NULL;
  }
  int64_t v[17];
  for (int i = 0; i < 17; i++) {
    double x = ((const double *)layout_data)[i];
    if (!(x >= 0 && x <= 9007199254740992.0 && x == (double)(int64_t)x)) {
      napi_throw_range_error(env, NULL, "supernet_blas.gemm: layout entries must be non-negative integers");
      return NULL;
    }
    v[i] = (int64_t)x;
  }
  int64_t m = v[0], n = v[1], k = v[2], outer = v[3], inner = v[4];
  const int64_t *la = v + 5, *lb = v + 9, *lc = v + 13;
  /* Stored shapes: op(A) is m x k, op(B) k x n, C m x n. */
  int64_t a_rows = ta ? k : m, a_cols = ta ? m : k, b_rows = tb ? n : k, b_cols = tb ? k : n;
  if (la[1] < a_cols || lb[1] < b_cols || lc[1] < n || la[1] < 1 || lb[1] < 1 || lc[1] < 1) {
    napi_throw_range_error(env, NULL, "supernet_blas.gemm: a leading dimension is shorter than a row of its operand");
    return NULL;
  }
  /* The view's own byte length bounds what we may touch (the typed array spans the heap). */
  size_t elem = type == napi_float32_array ? 4 : 1;
  uint64_t limit = (uint64_t)byte_offset + (uint64_t)length * elem;
  if (operand_end(la, a_rows, a_cols, outer, inner) > limit || operand_end(lb, b_rows, b_cols, outer, inner) > limit ||
      operand_end(lc, m, n, outer, inner) > limit) {
    napi_throw_range_error(env, NULL, "supernet_blas.gemm: an operand reaches past the end of the heap");
    return NULL;
  }
  for (int64_t o = 0; o < outer; o++)
    for (int64_t i = 0; i < inner; i++) {
      const float *a = (const float *)(base + la[0] + o * la[2] + i * la[3]);
      const float *b = (const float *)(base + lb[0] + o * lb[2] + i * lb[3]);
      float *c = (float *)(base + lc[0] + o * lc[2] + i * lc[3]);
      cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (blasint)m, (blasint)n,
                  (blasint)k, (float)alpha, a, (blasint)la[1], b, (blasint)lb[1], 0.0f, c, (blasint)lc[1]);
    }
  return NULL;
}

static napi_value threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc == 1) {
    int64_t t;
    if (!get_i64(env, argv[0], &t) || t < 1) {
      napi_throw_range_error(env, NULL, "supernet_blas.threads: must be a positive integer");
      return NULL;
    }
    openblas_set_num_threads((int)t);
  }
  napi_value out;
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &out));
  return out;
}

static napi_value config(napi_env env, napi_callback_info info) {
  napi_value out;
  const char *c = openblas_get_config();
  CHECK(napi_create_string_utf8(env, c ? c : "", NAPI_AUTO_LENGTH, &out));
  return out;
}

/* Raised whenever a function's arguments change, so that JavaScript refuses a build from older sources. */
#define ADDON_INTERFACE 2

static napi_value init(napi_env env, napi_value exports) {
  napi_value interface_version;
  CHECK(napi_create_int32(env, ADDON_INTERFACE, &interface_version));
  napi_property_descriptor props[] = {
      {"interfaceVersion", NULL, NULL, NULL, NULL, interface_version, napi_enumerable, NULL},
      {"gemm", NULL, gemm, NULL, NULL, NULL, napi_default, NULL},
      {"threads", NULL, threads, NULL, NULL, NULL, napi_default, NULL},
      {"config", NULL, config, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, 4, props));
  return register_step_kernels(env, exports);
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
