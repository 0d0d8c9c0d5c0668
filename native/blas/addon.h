/* What the addon's two files share: the Node-API error check, and the registration of the non-BLAS kernels. */
#ifndef SUPERNET_ADDON_H
#define SUPERNET_ADDON_H
#include <node_api.h>

/* Returns NULL from the calling Node-API function, with a JS error, when a Node-API call fails. */
#define CHECK(call)                                                         \
  do {                                                                      \
    if ((call) != napi_ok) {                                                \
      napi_throw_error(env, NULL, "supernet_blas: " #call " failed");       \
      return NULL;                                                          \
    }                                                                       \
  } while (0)

/* step-kernels.c: adds sumRows, sumCols, xentStats, xentGrad, adamUpdate, layerNorm, layerNormGrad, dropout and dropoutGrad to exports. */
napi_value register_step_kernels(napi_env env, napi_value exports);

#endif
