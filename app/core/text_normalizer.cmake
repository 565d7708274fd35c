# Text normalization (search and the anonymizer's matcher). Included from app/core/CMakeLists.txt.
# html_entities.cpp is data (the HTML named character references) that the leak scanner reads too,
# and confusables.cpp the ICU data (UTS 39) both use.
add_library(bc_text STATIC ${CMAKE_CURRENT_LIST_DIR}/src/text_normalizer.cpp ${CMAKE_CURRENT_LIST_DIR}/src/html_entities.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/confusables.cpp)
target_include_directories(bc_text PUBLIC ${CMAKE_CURRENT_LIST_DIR}/include)
target_link_libraries(bc_text PRIVATE PkgConfig::UTF8PROC PkgConfig::ICU bc_warnings)
