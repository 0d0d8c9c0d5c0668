{
  "targets": [
    {
      "target_name": "supernet_blas",
      "sources": ["blas.c", "step-kernels.c"],
      "cflags": ["-O3", "<!@(pkg-config --cflags openblas)"],
      "libraries": ["<!@(pkg-config --libs openblas)"]
    }
  ]
}
