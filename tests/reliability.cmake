# The reliability stages of the test suite (issue 10), as ctest entries of the main build so that
# one ctest run reports everything. Each builds its own variant in its own directory:
#   sanitize_address_undefined  every unit and real-client test with ASan + UBSan (build-asan/)
#   sanitize_thread             unit tests and the threaded conformance tests with TSan (build-tsan/)
#   fuzz_smoke                  every libFuzzer target for a short, fixed budget (build-fuzz/, clang)
# Registered only in a plain build (never inside the sanitizer builds themselves);
# -DLOCALDDB_RELIABILITY_TESTS=OFF leaves them out, and `scripts/test.sh -E 'sanitize|fuzz'` skips them.
option(LOCALDDB_RELIABILITY_TESTS "Register the sanitizer and fuzzing stages as tests" ON)
if(LOCALDDB_RELIABILITY_TESTS AND NOT LOCALDDB_SANITIZE AND NOT LOCALDDB_FUZZ)
  set(scripts ${CMAKE_SOURCE_DIR}/scripts)
  add_test(NAME sanitize_address_undefined COMMAND ${scripts}/sanitize.sh address,undefined -E "bench_smoke|format|layers|image_chroot")
  add_test(NAME sanitize_thread COMMAND ${scripts}/sanitize.sh thread -E "bench_smoke|protocol_fuzz|conformance_js|examples|format|layers|image_chroot")
  add_test(NAME fuzz_smoke COMMAND ${scripts}/fuzz.sh --seconds 15)
  set_tests_properties(sanitize_address_undefined sanitize_thread fuzz_smoke PROPERTIES TIMEOUT 2400)
  # Under TSan the Python suite runs the tests whose point is threads.
  set_tests_properties(sanitize_thread PROPERTIES ENVIRONMENT
                       "PYTEST_ADDOPTS=-k 'concurrency or crash_loop or stream_hooks or transactions or limits'")
endif()
