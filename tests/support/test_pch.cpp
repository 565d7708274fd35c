// The translation unit CMake compiles tests/CMakeLists.txt's shared precompiled header with
// (target bc_test_pch); every test executable reuses that header. Nothing else lives here.
