/* The libFuzzer entry of fuzz-timestamp.c, also driven by test-timestamp-fuzz. */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
