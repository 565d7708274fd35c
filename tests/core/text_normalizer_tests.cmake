# Unit tests of bc_text. Included from tests/core/CMakeLists.txt.
# utf8proc is linked directly too: the tests use utf8proc_NFD/NFC as a reference; ICU for the
# Dash and White_Space properties.
bc_add_test(test_text_normalizer
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_text_normalizer.cpp
  LIBS bc_text PkgConfig::UTF8PROC PkgConfig::ICU
  LABELS unit;core)
