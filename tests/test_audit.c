/* The audit log (src/audit/audit.c): appends chain and reach the disk on sync, a reopened log
 * continues its chain, verify finds a changed byte, a deleted line and swapped lines, a torn
 * last line is cut off on open (damage before it is refused), the group sync does one
 * fdatasync for a burst, and threads appending at once keep one valid chain. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/err.h"
#include "testutil.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/cbec-test-audit-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/audit.log", dir);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	rmdir(dir);
	return 0;
}

static struct audit *open_log(struct audit_open_info *info)
{
	struct audit *log = NULL;
	char err[256] = "";
	int rc = audit_open(path, &log, info, err, sizeof err);
	if (rc)
		fail_msg("audit_open: %d %s", rc, err);
	return log;
}

static uint64_t submit(struct audit *log, const char *actor, const char *guid)
{
	char res[96];
	snprintf(res, sizeof res, "CEB311 %s", guid);
	struct audit_event ev = {actor, "enterprise", AUDIT_SUBMIT, res, actor, 200, "2", "127.0.0.1"};
	uint64_t seq = 0;
	assert_int_equal(audit_append(log, &ev, &seq), 0);
	return seq;
}

/* The whole file; *n its length. */
static char *slurp(size_t *n)
{
	return tu_read(path, n);
}

static void spit(const char *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Line i (1-based) of text: start and length with its newline. */
static const char *line_of(const char *text, int i, size_t *len)
{
	const char *p = text;
	for (int k = 1; k < i; k++)
		p = strchr(p, '\n') + 1;
	*len = (size_t)(strchr(p, '\n') + 1 - p);
	return p;
}

static void expect_broken(uint64_t line, const char *why_part)
{
	uint64_t n = 99;
	struct audit_problem p;
	assert_int_equal(audit_verify(path, &n, &p), CBEC_EPARSE);
	assert_int_equal(p.line, line);
	if (!strstr(p.why, why_part))
		fail_msg("line %llu: '%s' does not say '%s'", (unsigned long long)p.line, p.why, why_part);
}

static void expect_intact(uint64_t records)
{
	uint64_t n = 0;
	struct audit_problem p;
	int rc = audit_verify(path, &n, &p);
	if (rc)
		fail_msg("verify: %d line %llu %s", rc, (unsigned long long)p.line, p.why);
	assert_int_equal(n, records);
}

/* Three records, then the same log with a fourth. */
static void make_four(void)
{
	unlink(path);
	struct audit *log = open_log(NULL);
	submit(log, "1234560TST", "A0000000-0000-0000-0000-000000000001");
	submit(log, "1234562TST", "A0000000-0000-0000-0000-000000000002");
	struct audit_event rd = {"GACC01", "regulator", AUDIT_READ, "/api/v1/stats", NULL, 200, NULL, NULL};
	assert_int_equal(audit_record(log, &rd), 0);
	assert_int_equal(audit_close(log), 0);
	struct audit_open_info info;
	log = open_log(&info);
	assert_int_equal(info.last_seq, 3);
	assert_int_equal(info.torn_bytes, 0);
	assert_int_equal(submit(log, "1234564TST", "A0000000-0000-0000-0000-000000000004"), 4);
	assert_int_equal(audit_close(log), 0);
}

static void test_append_and_fields(void **state)
{
	struct audit *log = open_log(NULL);
	uint64_t s1 = submit(log, "1234560TST", "A0000000-0000-0000-0000-000000000001");
	struct audit_event bad = {NULL, NULL, AUDIT_AUTH_FAILED, "/api/v1/receipts", NULL, 401, NULL, "10.0.0.9"};
	uint64_t s2;
	assert_int_equal(audit_append(log, &bad, &s2), 0);
	assert_int_equal(s1, 1);
	assert_int_equal(s2, 2);
	/* a sync puts it in the file, before any close */
	assert_int_equal(audit_sync(log, s2), 0);
	size_t n;
	char *text = slurp(&n);
	size_t l1n;
	const char *l1 = line_of(text, 1, &l1n);
	assert_true(l1n > 0 && !strncmp(l1, "{\"seq\":1,\"time\":\"", 17));
	assert_non_null(strstr(text, "\"actor\":\"1234560TST\",\"role\":\"enterprise\",\"action\":\"submit\","
				     "\"resource\":\"CEB311 A0000000-0000-0000-0000-000000000001\","
				     "\"owner\":\"1234560TST\",\"status\":200,\"code\":\"2\",\"remote\":\"127.0.0.1\","
				     "\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\""));
	/* absent fields are left out */
	assert_non_null(strstr(text, "\"action\":\"auth-failed\",\"resource\":\"/api/v1/receipts\",\"status\":401,"
				     "\"remote\":\"10.0.0.9\",\"prev\":\""));
	assert_null(strstr(text, "null"));
	free(text);
	assert_int_equal(audit_close(log), 0);
	expect_intact(2);
}

static void test_reopen_continues_chain(void **state)
{
	make_four();
	expect_intact(4);
	/* one writer at a time: a second open of a log in use is refused */
	struct audit *log = open_log(NULL), *other = NULL;
	char err[256] = "";
	assert_int_equal(audit_open(path, &other, NULL, err, sizeof err), CBEC_EBUSY);
	assert_non_null(strstr(err, "in use"));
	assert_int_equal(audit_close(log), 0);
	size_t n;
	char *text = slurp(&n);
	assert_non_null(strstr(text, "{\"seq\":4,"));
	free(text);
}

static void test_verify_changed_byte(void **state)
{
	make_four();
	size_t n;
	char *text = slurp(&n);
	size_t ln;
	char *l2 = (char *)line_of(text, 2, &ln);
	char *a = strstr(l2, "1234562TST");
	a[9] = 'X'; /* 1234562TSX */
	spit(text, n);
	expect_broken(2, "does not match its hash");
	/* a byte of the hash itself */
	a[9] = 'T';
	char *h = strstr(l2, "\"hash\":\"") + 8;
	h[0] = h[0] == '0' ? '1' : '0';
	spit(text, n);
	expect_broken(2, "does not match its hash");
	free(text);
}

static void test_verify_deleted_line(void **state)
{
	make_four();
	size_t n;
	char *text = slurp(&n);
	size_t ln;
	char *l2 = (char *)line_of(text, 2, &ln);
	memmove(l2, l2 + ln, n - (size_t)(l2 + ln - text));
	spit(text, n - ln);
	expect_broken(2, "does not follow line 1");
	free(text);

	/* the first line deleted */
	make_four();
	text = slurp(&n);
	const char *l1 = line_of(text, 1, &ln);
	spit(l1 + ln, n - ln);
	expect_broken(1, "does not start a chain");
	free(text);
}

static void test_verify_swapped_lines(void **state)
{
	make_four();
	size_t n;
	char *text = slurp(&n);
	size_t n2, n3;
	const char *l2 = line_of(text, 2, &n2), *l3 = line_of(text, 3, &n3);
	char *out = malloc(n);
	size_t k = 0;
	memcpy(out + k, text, (size_t)(l2 - text)), k += (size_t)(l2 - text);
	memcpy(out + k, l3, n3), k += n3;
	memcpy(out + k, l2, n2), k += n2;
	memcpy(out + k, l3 + n3, n - k), k = n;
	spit(out, n);
	expect_broken(2, "does not follow line 1");
	free(out);
	free(text);
}

static void test_torn_tail_truncated(void **state)
{
	make_four();
	size_t n;
	char *text = slurp(&n);
	/* a crash in the middle of writing line 5 */
	const char torn[] = "{\"seq\":5,\"time\":\"2026-11-";
	char *t = malloc(n + sizeof torn);
	memcpy(t, text, n);
	memcpy(t + n, torn, sizeof torn - 1);
	spit(t, n + sizeof torn - 1);
	expect_broken(5, "torn");
	struct audit_open_info info;
	struct audit *log = open_log(&info);
	assert_int_equal(info.torn_bytes, sizeof torn - 1);
	assert_int_equal(info.last_seq, 4);
	assert_int_equal(submit(log, "1234560TST", "A0000000-0000-0000-0000-000000000005"), 5);
	assert_int_equal(audit_close(log), 0);
	expect_intact(5);

	/* blocks never written: zeros, even with a newline after them */
	size_t m;
	char *five = slurp(&m);
	char *z = calloc(1, m + 4097);
	memcpy(z, five, m);
	z[m + 4096] = '\n';
	spit(z, m + 4097);
	log = open_log(&info);
	assert_int_equal(info.torn_bytes, 4097);
	assert_int_equal(info.last_seq, 5);
	assert_int_equal(audit_close(log), 0);
	expect_intact(5);

	/* a last line that is whole but wrong is torn too; the one before it must hold */
	size_t ln;
	char *l5 = (char *)line_of(z, 5, &ln);
	char *l4 = (char *)line_of(z, 4, &ln);
	l5[20] = 'Z';
	spit(z, m);
	log = open_log(&info);
	assert_int_equal(info.last_seq, 4);
	assert_int_equal(audit_close(log), 0);
	expect_intact(4);

	/* a broken line with more after it is damage, not a torn write: refused, file untouched */
	spit(z, m);
	memcpy(z + m, "{\"seq\":", 7);
	spit(z, m + 7);
	struct audit *no = NULL;
	char err[256] = "";
	assert_int_equal(audit_open(path, &no, &info, err, sizeof err), CBEC_EPARSE);
	assert_non_null(strstr(err, "damaged"));
	size_t after;
	char *same = slurp(&after);
	assert_int_equal(after, m + 7);
	free(same);
	/* so is a torn last line after a broken one */
	l4[20] = 'Q';
	spit(z, m);
	assert_int_equal(audit_open(path, &no, &info, err, sizeof err), CBEC_EPARSE);
	free(z);
	free(five);
	free(t);
	free(text);
}

static void test_group_sync(void **state)
{
	struct audit *log = open_log(NULL);
	uint64_t last = 0;
	for (int i = 0; i < 100; i++)
		last = submit(log, "1234560TST", "A0000000-0000-0000-0000-000000000001");
	struct audit_stats st;
	audit_stats(log, &st);
	assert_int_equal(st.appended, 100);
	assert_int_equal(st.syncs, 0);
	/* the first record's sync writes and syncs all hundred, the last's has nothing to do */
	assert_int_equal(audit_sync(log, 1), 0);
	assert_int_equal(audit_sync(log, last), 0);
	audit_stats(log, &st);
	assert_int_equal(st.syncs, 1);
	assert_int_equal(audit_close(log), 0);
	expect_intact(100);
}

#define THREADS 4
#define PER_THREAD 250

struct appender_arg {
	struct audit *log;
	const char *actor;
};

static void *appender(void *p)
{
	const struct appender_arg *arg = p;
	struct audit *log = arg->log;
	const char *actor = arg->actor;
	for (int i = 0; i < PER_THREAD; i++) {
		struct audit_event ev = {actor, "enterprise", AUDIT_SUBMIT, "CEB311 X", actor, 200, "2", NULL};
		if ((i % 3 == 0 ? audit_append(log, &ev, NULL) : audit_record(log, &ev)) != 0)
			return (void *)1;
	}
	return NULL;
}

static void test_concurrent_appends(void **state)
{
	struct audit *log = open_log(NULL);
	pthread_t t[THREADS];
	static const char *names[THREADS] = {"T1", "T2", "T3", "T4"};
	struct appender_arg args[THREADS];
	for (int i = 0; i < THREADS; i++) {
		args[i] = (struct appender_arg){log, names[i]};
		assert_int_equal(pthread_create(&t[i], NULL, appender, &args[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		assert_null(r);
	}
	struct audit_stats st;
	audit_stats(log, &st);
	assert_int_equal(st.appended, THREADS * PER_THREAD);
	assert_true(st.syncs >= 1 && st.syncs <= st.appended);
	assert_int_equal(audit_close(log), 0);
	expect_intact(THREADS * PER_THREAD);
}

/* A full disk (here: the file size limit): the requests waiting on that write are told it
 * failed, nothing half-written stays, and once there is room again the kept lines and the
 * new ones are written with the chain intact. */
static void test_full_disk_recovers(void **state)
{
	unlink(path);
	struct audit *log = open_log(NULL);
	assert_int_equal(audit_sync(log, submit(log, "1234560TST", "B0000000-0000-0000-0000-000000000001")), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	struct rlimit old, lim;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	void (*prev)(int) = signal(SIGXFSZ, SIG_IGN); /* EFBIG instead of a signal */
	lim = old;
	lim.rlim_cur = (rlim_t)st.st_size + 100; /* room for part of one line */
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	uint64_t s2 = submit(log, "1234562TST", "B0000000-0000-0000-0000-000000000002");
	uint64_t s3 = submit(log, "1234563TST", "B0000000-0000-0000-0000-000000000003");
	assert_int_not_equal(audit_sync(log, s3), 0);
	struct stat after;
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(after.st_size, st.st_size); /* cut back: no half line */
	assert_int_not_equal(audit_sync(log, s2), 0); /* still no room */
	uint64_t s4 = submit(log, "1234564TST", "B0000000-0000-0000-0000-000000000004");
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, prev);
	assert_int_equal(audit_sync(log, s4), 0);
	struct audit_stats stats;
	audit_stats(log, &stats);
	assert_true(stats.failures >= 2);
	assert_int_equal(audit_close(log), 0);
	expect_intact(4);
}

static void test_time_format(void **state)
{
	char b[32];
	audit_format_time(1795509032123LL, b);
	assert_string_equal(b, "2026-11-24T08:30:32.123Z");
	int64_t ms;
	assert_int_equal(audit_parse_time(b, &ms), 0);
	assert_int_equal(ms, 1795509032123LL);
	assert_int_equal(audit_parse_time("2026-11-24", &ms), 0);
	assert_int_equal(ms, 1795478400000LL);
	assert_int_equal(audit_parse_time("2026-11-24T08:30", &ms), 0);
	assert_int_equal(ms, 1795509000000LL);
	assert_int_equal(audit_parse_time("yesterday", &ms), CBEC_EINVAL);
	assert_int_equal(audit_parse_time("2026-13-01", &ms), CBEC_EINVAL);
	assert_int_equal(audit_parse_time("2026-11-24T08:30:32.123Z junk", &ms), CBEC_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_append_and_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reopen_continues_chain, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verify_changed_byte, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verify_deleted_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verify_swapped_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_torn_tail_truncated, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_group_sync, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_concurrent_appends, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_full_disk_recovers, setup, teardown),
	    cmocka_unit_test(test_time_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
