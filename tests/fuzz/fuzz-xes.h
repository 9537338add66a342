/* The libFuzzer entry point of tests/fuzz/fuzz-xes.c. */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
