/* The addon's non-BLAS kernels (step-kernels.c): adds sumRows, sumCols, xentStats, xentGrad, adamUpdate, layerNorm and layerNormGrad to exports. */
#ifndef SUPERNET_STEP_KERNELS_H
#define SUPERNET_STEP_KERNELS_H
#include <node_api.h>

napi_value register_step_kernels(napi_env env, napi_value exports);

#endif
