# SPDX-License-Identifier: MIT
# msgfmt --check on one catalogue, and no untranslated or fuzzy entry.
execute_process(COMMAND ${MSGFMT} --check --statistics -o /dev/null ${PO}
  RESULT_VARIABLE rc ERROR_VARIABLE stats OUTPUT_VARIABLE out)
message("${stats}${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "msgfmt --check failed for ${PO}")
endif()
if(stats MATCHES "untranslated|fuzzy")
  message(FATAL_ERROR "${PO} is not complete: ${stats}")
endif()
