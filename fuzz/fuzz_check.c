/* libFuzzer target: any bytes through every check layer (parser, validator, signature).
 * Run with `make fuzz` (bounded by FUZZ_SECONDS). */
#include <stddef.h>
#include <stdint.h>

#include "ceb/check.h"
#include "ceb/write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ceb_checker *c;
	if (!c) {
		struct ceb_check_opts o;
		ceb_check_opts_default(&o);
		o.parse.max_bytes = 1 << 20;
		c = ceb_checker_new(&o);
	}
	struct ceb_result r;
	if (ceb_check(c, (const char *)data, size, &r) == 0 && r.msg && r.well_formed) {
		/* whatever parsed must also write */
		struct buf b = BUF_INIT;
		ceb_write(r.msg, NULL, &b);
		buf_free(&b);
	}
	return 0;
}
