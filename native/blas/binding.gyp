{
  "targets": [
    {
      "target_name": "supernet_blas",
      "sources": ["blas.c"],
      "cflags": ["-O2", "<!@(pkg-config --cflags openblas)"],
      "libraries": ["<!@(pkg-config --libs openblas)"]
    }
  ]
}
