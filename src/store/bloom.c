/* A blocked Bloom filter (bloom.h). */
#include "store/bloom.h"

#include <stdint.h>
#include <stdlib.h>

#define BLOCK_WORDS 8 /* 8 x 64 bits: one cache line */
#define BITS_PER_KEY 10
#define PROBES 7

struct bloom {
	uint64_t *blocks; /* nblocks * BLOCK_WORDS */
	size_t nblocks, capacity, count;
};

struct bloom *bloom_new(size_t capacity)
{
	struct bloom *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	if (capacity < 1)
		capacity = 1;
	b->capacity = capacity;
	b->nblocks = (capacity * BITS_PER_KEY + BLOCK_WORDS * 64 - 1) / (BLOCK_WORDS * 64);
	b->blocks = aligned_alloc(64, b->nblocks * BLOCK_WORDS * sizeof *b->blocks);
	if (!b->blocks) {
		free(b);
		return NULL;
	}
	for (size_t i = 0; i < b->nblocks * BLOCK_WORDS; i++)
		b->blocks[i] = 0;
	return b;
}

void bloom_free(struct bloom *b)
{
	if (!b)
		return;
	free(b->blocks);
	free(b);
}

/* FNV-1a over the key, then a final mix (the guids' hex digits are not random bits) */
static uint64_t hash_of(const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* The key's block, and its PROBES bit positions in it: 9 bits each from one 64-bit hash. */
static uint64_t *block_of(const struct bloom *b, uint64_t h)
{
	return b->blocks + (size_t)((h >> 32) % b->nblocks) * BLOCK_WORDS;
}

void bloom_add(struct bloom *b, const char *key)
{
	uint64_t h = hash_of(key), *blk = block_of(b, h);
	uint64_t bits = h * 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < PROBES; i++, bits >>= 9)
		blk[(bits >> 6) & (BLOCK_WORDS - 1)] |= 1ULL << (bits & 63);
	b->count++;
}

bool bloom_maybe(const struct bloom *b, const char *key)
{
	uint64_t h = hash_of(key);
	const uint64_t *blk = block_of(b, h);
	uint64_t bits = h * 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < PROBES; i++, bits >>= 9)
		if (!(blk[(bits >> 6) & (BLOCK_WORDS - 1)] & (1ULL << (bits & 63))))
			return false;
	return true;
}

size_t bloom_count(const struct bloom *b)
{
	return b->count;
}

bool bloom_full(const struct bloom *b)
{
	return b->count > b->capacity;
}
