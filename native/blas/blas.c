/*
 * Single-precision matrix products through OpenBLAS on memory JavaScript already owns: the
 * operands are byte offsets into one ArrayBuffer or SharedArrayBuffer (tfjs-wasm's heap), so
 * nothing is copied in or out. Row-major, C[M,N] = op(A) op(B) (+ C when accumulate), with
 * op = transpose when asked; a batched call runs `batch` such products at fixed strides.
 */
#include <node_api.h>
#include <cblas.h>
#include <stdint.h>
#include <stdio.h>

#include "addon.h"

static int get_i64(napi_env env, napi_value v, int64_t *out) {
  return napi_get_value_int64(env, v, out) == napi_ok;
}

/* gemm(view, transA, transB, M, N, K, aOffset, bOffset, cOffset, batch, strideA, strideB, strideC)
 * view: any typed array over the heap (its buffer's base address is what counts);
 * offsets and strides in bytes. */
static napi_value gemm(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value argv[13];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 13) {
    napi_throw_type_error(env, NULL, "supernet_blas.gemm: expected 13 arguments");
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
  CHECK(napi_get_value_bool(env, argv[1], &ta));
  CHECK(napi_get_value_bool(env, argv[2], &tb));
  int64_t v[10];
  for (int i = 0; i < 10; i++) {
    if (!get_i64(env, argv[3 + i], &v[i]) || v[i] < 0) {
      napi_throw_range_error(env, NULL, "supernet_blas.gemm: sizes, offsets and strides must be non-negative integers");
      return NULL;
    }
  }
  int64_t m = v[0], n = v[1], k = v[2], batch = v[6];
  /* The view's own byte length bounds what we may touch (the typed array spans the heap). */
  size_t elem = type == napi_float32_array ? 4 : 1;
  uint64_t limit = (uint64_t)byte_offset + (uint64_t)length * elem;
  uint64_t need_a = (uint64_t)v[3] + (uint64_t)(batch > 0 ? batch - 1 : 0) * v[7] + (uint64_t)m * k * 4;
  uint64_t need_b = (uint64_t)v[4] + (uint64_t)(batch > 0 ? batch - 1 : 0) * v[8] + (uint64_t)k * n * 4;
  uint64_t need_c = (uint64_t)v[5] + (uint64_t)(batch > 0 ? batch - 1 : 0) * v[9] + (uint64_t)m * n * 4;
  if (need_a > limit || need_b > limit || need_c > limit) {
    napi_throw_range_error(env, NULL, "supernet_blas.gemm: an operand reaches past the end of the heap");
    return NULL;
  }
  for (int64_t i = 0; i < batch; i++) {
    const float *a = (const float *)(base + v[3] + i * v[7]);
    const float *b = (const float *)(base + v[4] + i * v[8]);
    float *c = (float *)(base + v[5] + i * v[9]);
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                (blasint)m, (blasint)n, (blasint)k, 1.0f, a, ta ? (blasint)m : (blasint)k,
                b, tb ? (blasint)k : (blasint)n, 0.0f, c, (blasint)n);
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

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"gemm", NULL, gemm, NULL, NULL, NULL, napi_default, NULL},
      {"threads", NULL, threads, NULL, NULL, NULL, napi_default, NULL},
      {"config", NULL, config, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, 3, props));
  return register_step_kernels(env, exports);
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
