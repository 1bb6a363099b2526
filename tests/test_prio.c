/* A background thread's lower priority (src/base/prio.h): its own nice value goes up by
 * PRIO_BACKGROUND_NICE, the other threads' stay as they were. That the service's outbox,
 * customs simulator and checkpointer threads run so, and its writer not, test_server.py
 * checks on a running cbec serve (s01). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/prio.h"

static int nice_of(pid_t tid)
{
	errno = 0;
	int n = getpriority(PRIO_PROCESS, (id_t)tid);
	assert_false(n == -1 && errno != 0);
	return n;
}

struct seen {
	int before, after;
	pid_t tid;
};

static void *background(void *arg)
{
	struct seen *s = arg;
	s->tid = gettid();
	s->before = nice_of(s->tid);
	if (prio_background() != 0)
		return (void *)1;
	s->after = nice_of(s->tid);
	return NULL;
}

static void test_background_thread_only(void **state)
{
	(void)state;
	int mine = nice_of(gettid());
	struct seen s = {0};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, background, &s), 0);
	void *res;
	pthread_join(t, &res);
	assert_null(res);
	int want = s.before + PRIO_BACKGROUND_NICE > 19 ? 19 : s.before + PRIO_BACKGROUND_NICE;
	assert_int_equal(s.after, want);
	assert_true(s.after > s.before || s.before == 19);
	/* the calling thread, and so the writer and the intake, are left alone */
	assert_int_equal(nice_of(gettid()), mine);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_background_thread_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
