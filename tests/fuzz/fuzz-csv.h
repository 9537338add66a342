/* The libFuzzer entry of fuzz-csv.c, also driven by test-csv-fuzz. */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
