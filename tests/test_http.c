/* The HTTP front's stop (src/http/http.c): after http_quiesce a new connection is closed with
 * no answer, and quiescing and stopping while connections keep arriving never aborts
 * (libmicrohttpd's own quiesce could: see http_quiesce). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "http/http.h"
#include "svc/svc.h"
#include "testutil.h"

struct fx {
	char dir[64];
	struct svc *svc;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/cbec-http-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	char url[128], customs[128], err[256];
	snprintf(url, sizeof url, "sqlite:%s/t.db", f->dir);
	snprintf(customs, sizeof customs, "sim:state=%s/sim.db", f->dir);
	struct svc_opts o;
	svc_opts_default(&o);
	o.db_url = url;
	o.customs = customs;
	o.tariff_path = tu_src("data/tariff.csv");
	if (svc_open(&o, &f->svc, err, sizeof err) != 0) {
		fprintf(stderr, "svc_open: %s\n", err);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	svc_close(f->svc);
	int rc = tu_rm_tree(f->dir);
	free(f);
	return rc;
}

static struct http *start(struct fx *f)
{
	struct http_opts o;
	http_opts_default(&o);
	o.listen = "127.0.0.1:0";
	struct http *h = NULL;
	char err[256];
	assert_int_equal(http_start(f->svc, &o, &h, err, sizeof err), 0);
	return h;
}

static int connect_to(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {5, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One request on fd; true when an HTTP answer came back. */
static bool answered(int fd, bool keep_alive)
{
	char req[160];
	snprintf(req, sizeof req, "GET /api/v1/health HTTP/1.1\r\nHost: t\r\nConnection: %s\r\n\r\n",
		 keep_alive ? "keep-alive" : "close");
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) < 0)
		return false;
	/* the whole answer: its head, then as many bytes as it says its body has */
	char buf[4096];
	size_t got = 0;
	char *end = NULL;
	while (!end && got < sizeof buf - 1) {
		ssize_t n = recv(fd, buf + got, sizeof buf - 1 - got, 0);
		if (n <= 0)
			return false;
		got += (size_t)n;
		buf[got] = 0;
		end = strstr(buf, "\r\n\r\n");
	}
	if (!end || strncmp(buf, "HTTP/1.1 ", 9) != 0)
		return false;
	const char *cl = strcasestr(buf, "Content-Length:");
	size_t want = (size_t)(end + 4 - buf) + (cl && cl < end ? strtoul(cl + 15, NULL, 10) : 0);
	while (got < want && got < sizeof buf - 1) {
		ssize_t n = recv(fd, buf + got, sizeof buf - 1 - got, 0);
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

static void test_quiesce(void **state)
{
	struct fx *f = *state;
	struct http *h = start(f);
	uint16_t port = http_port(h);
	for (int i = 0; i < 3; i++) {
		int fd = connect_to(port);
		assert_true(fd >= 0);
		assert_true(answered(fd, false));
		close(fd);
	}
	http_quiesce(h);
	/* a new connection: closed with no answer (or refused) */
	for (int i = 0; i < 3; i++) {
		int fd = connect_to(port);
		if (fd >= 0) {
			assert_false(answered(fd, false));
			close(fd);
		}
	}
	http_stop(h);
}

struct load {
	uint16_t port;
	atomic_bool stop;
};

static void *hammer(void *arg)
{
	struct load *l = arg;
	while (!atomic_load(&l->stop)) {
		int fd = connect_to(l->port);
		if (fd < 0)
			continue;
		answered(fd, false);
		close(fd);
	}
	return NULL;
}

/* Quiesce and stop while connections keep coming, many times over. */
static void test_quiesce_under_load(void **state)
{
	struct fx *f = *state;
	for (int round = 0; round < 150; round++) {
		struct http *h = start(f);
		struct load l = {http_port(h), false};
		pthread_t t[3];
		for (int i = 0; i < 3; i++)
			pthread_create(&t[i], NULL, hammer, &l);
		struct timespec ts = {0, (round % 5 + 1) * 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
		http_quiesce(h);
		nanosleep(&ts, NULL);
		http_stop(h);
		atomic_store(&l.stop, true);
		for (int i = 0; i < 3; i++)
			pthread_join(t[i], NULL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_quiesce, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_quiesce_under_load, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
