# Helpers to register tests, one line per test.

# wiretag_unit_test(NAME): tests/unit/test_NAME.c, linked with the library and its private
# headers, run by ctest as unit_NAME.
function(wiretag_unit_test name)
  add_executable(test_${name} ${CMAKE_SOURCE_DIR}/tests/unit/test_${name}.c)
  target_link_libraries(test_${name} PRIVATE wiretag_core_internal wiretag_server)
  target_include_directories(test_${name} PRIVATE ${CMAKE_SOURCE_DIR}/tests/unit)
  add_test(NAME unit_${name} COMMAND test_${name})
  set_tests_properties(unit_${name} PROPERTIES
                       ENVIRONMENT "WIRETAG_SOURCE_DIR=${CMAKE_SOURCE_DIR}" TIMEOUT 120)
endfunction()

# wiretag_script_test(NAME SCRIPT [ARGS...]): a Python test driving the real binary.
# Building needs no Python: python3 is looked up when the test runs (scripts/install-deps test
# installs it).
function(wiretag_script_test name script)
  add_test(NAME ${name}
           COMMAND python3 ${CMAKE_SOURCE_DIR}/${script} ${ARGN})
  set_tests_properties(${name} PROPERTIES
                       ENVIRONMENT "WIRETAG_BIN=$<TARGET_FILE:wiretag>;WIRETAG_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
                       TIMEOUT 300)
endfunction()
