# SQLCipher 4: the system library when it is 4.0 or newer, otherwise the 4.5.5 amalgamation
# fetched by scripts/fetch-sqlcipher into .deps/ and verified here before it is compiled.
# Defines the target bc::sqlcipher.
pkg_check_modules(SYSTEM_SQLCIPHER QUIET IMPORTED_TARGET sqlcipher>=4.0)
if(SYSTEM_SQLCIPHER_FOUND)
  message(STATUS "SQLCipher: system library ${SYSTEM_SQLCIPHER_VERSION}")
  add_library(bc_sqlcipher INTERFACE)
  target_link_libraries(bc_sqlcipher INTERFACE PkgConfig::SYSTEM_SQLCIPHER)
  target_compile_definitions(bc_sqlcipher INTERFACE BACKCHANNEL_SYSTEM_SQLCIPHER=1)
else()
  set(_sqlcipher_dir ${PROJECT_SOURCE_DIR}/.deps/sqlcipher-4.5.5)
  set(_sqlcipher_sha256 457f4de07269b6e4e72b52980448c37bec36395ce16fee5929bd5a80f79f9715)
  if(NOT EXISTS ${_sqlcipher_dir}/src/sqlite3.c)
    execute_process(COMMAND ${PROJECT_SOURCE_DIR}/scripts/fetch-sqlcipher RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "SQLCipher 4 is not installed and the amalgamation could not be fetched; run scripts/setup-deps")
    endif()
  endif()
  file(SHA256 ${_sqlcipher_dir}/src/sqlite3.c _actual)
  if(NOT _actual STREQUAL _sqlcipher_sha256)
    message(FATAL_ERROR "SQLCipher amalgamation checksum mismatch:\n  expected ${_sqlcipher_sha256}\n  got      ${_actual}\nRefusing to build with ${_sqlcipher_dir}/src/sqlite3.c")
  endif()
  message(STATUS "SQLCipher: 4.5.5 amalgamation (sha256 verified)")
  find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
  find_package(Threads REQUIRED)
  add_library(bc_sqlcipher STATIC ${_sqlcipher_dir}/src/sqlite3.c)
  target_include_directories(bc_sqlcipher SYSTEM PUBLIC ${_sqlcipher_dir}/src)
  target_compile_definitions(bc_sqlcipher
    PUBLIC SQLITE_HAS_CODEC
    PRIVATE SQLCIPHER_CRYPTO_OPENSSL SQLITE_TEMP_STORE=3 SQLITE_ENABLE_FTS5 SQLITE_ENABLE_JSON1
            SQLITE_THREADSAFE=1 SQLITE_OMIT_LOAD_EXTENSION SQLITE_DQS=0 SQLITE_SECURE_DELETE
            SQLITE_DEFAULT_FOREIGN_KEYS=1 SQLITE_DEFAULT_WAL_SYNCHRONOUS=2 SQLITE_ENABLE_DBSTAT_VTAB)
  # Third-party code: its own optimisation level, no project warnings.
  target_compile_options(bc_sqlcipher PRIVATE -O2 -w)
  target_link_libraries(bc_sqlcipher PUBLIC OpenSSL::Crypto Threads::Threads ${CMAKE_DL_LIBS} m)
endif()
add_library(bc::sqlcipher ALIAS bc_sqlcipher)
