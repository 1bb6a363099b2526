/* gen/send: addresses parsed or refused; requests against a scripted server on loopback --
 * kept-alive answers, a kept connection the server closed (sent again once, afresh), a body
 * that ends with the connection, nobody listening; many connections, each answer handed back
 * with its tag, 503 sent again. */
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "gen/send.h"

static void test_urls(void **state)
{
	(void)state;
	struct gsend_target t;
	char err[256];
	assert_int_equal(gsend_parse_url("http://example.org", &t, err, sizeof err), 0);
	assert_string_equal(t.host, "example.org");
	assert_string_equal(t.port, "80");
	assert_int_equal(gsend_parse_url("http://127.0.0.1:8080/", &t, err, sizeof err), 0);
	assert_string_equal(t.host, "127.0.0.1");
	assert_string_equal(t.port, "8080");
	const char *bad[] = {"https://h:1", "ftp://h", "http://", "http://:80", "http://h:",
			     "http://h:0", "http://h:65536", "http://h:8x", "http://h:1/api", "h:80"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		err[0] = '\0';
		assert_int_not_equal(gsend_parse_url(bad[i], &t, err, sizeof err), 0);
		assert_non_null(strstr(err, bad[i]));
	}
}

/* A loopback server answering each request (read up to its blank line and the body its
 * Content-Length says) with `answer`; after `per_conn` answers it closes the connection. */
struct script {
	int fd, port;
	const char *answer;
	int per_conn, accepted, answered, fail_first; /* fail_first: that many 503 first */
	pthread_t th;
};

static int read_request(int c)
{
	char buf[65536];
	size_t n = 0;
	for (;;) {
		ssize_t r = read(c, buf + n, sizeof buf - 1 - n);
		if (r <= 0)
			return -1;
		n += (size_t)r;
		buf[n] = '\0';
		char *e = strstr(buf, "\r\n\r\n");
		if (!e)
			continue;
		char *cl = strstr(buf, "Content-Length: ");
		size_t want = (size_t)(e + 4 - buf) + (cl ? strtoul(cl + 16, NULL, 10) : 0);
		if (n >= want)
			return 0;
	}
}

static void *serve(void *arg)
{
	struct script *s = arg;
	for (;;) {
		int c = accept(s->fd, NULL, NULL);
		if (c < 0)
			return NULL;
		s->accepted++;
		for (int i = 0; i < s->per_conn && read_request(c) == 0; i++) {
			const char *a = s->answer;
			if (s->fail_first > 0) {
				s->fail_first--;
				a = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";
			}
			if (write(c, a, strlen(a)) < 0)
				break;
			s->answered++;
		}
		close(c);
	}
}

static void script_start(struct script *s, const char *answer, int per_conn)
{
	memset(s, 0, sizeof *s);
	s->answer = answer;
	s->per_conn = per_conn;
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(s->fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(s->fd, 64), 0);
	socklen_t l = sizeof sa;
	getsockname(s->fd, (struct sockaddr *)&sa, &l);
	s->port = ntohs(sa.sin_port);
	pthread_create(&s->th, NULL, serve, s);
}

static void script_stop(struct script *s)
{
	shutdown(s->fd, SHUT_RDWR);
	close(s->fd);
	pthread_join(s->th, NULL);
}

static void target(struct gsend_target *t, int port)
{
	char url[64], err[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	assert_int_equal(gsend_parse_url(url, t, err, sizeof err), 0);
}

/* A scripted server and one connection to it. */
struct rig {
	struct script s;
	struct gsend_target t;
	struct gsend_conn *c;
	const char *resp;
	size_t n;
};

static void rig_up(struct rig *r, const char *answer, int per_conn)
{
	script_start(&r->s, answer, per_conn);
	target(&r->t, r->s.port);
	r->c = gsend_conn_new(&r->t);
	assert_non_null(r->c);
}

static void rig_down(struct rig *r)
{
	gsend_conn_free(r->c);
	script_stop(&r->s);
}

static int ask(struct rig *r, const char *method, const char *body)
{
	return gsend_request(r->c, method, "/x", body ? "text/plain" : NULL, body ? "tok" : NULL, body,
			     body ? strlen(body) : 0, &r->resp, &r->n);
}

static void test_kept_alive(void **state)
{
	(void)state;
	struct rig r;
	rig_up(&r, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 100);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ask(&r, "POST", "abc"), 200);
		assert_int_equal(r.n, 5);
		assert_string_equal(r.resp, "hello");
	}
	assert_int_equal(r.s.accepted, 1); /* one connection for all three */
	rig_down(&r);
}

static void test_closed_by_server(void **state)
{
	(void)state;
	struct rig r;
	rig_up(&r, "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno", 1);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ask(&r, "GET", NULL), 404);
		assert_string_equal(r.resp, "no");
	}
	assert_int_equal(r.s.accepted, 3); /* each closed one opened again, afresh */
	rig_down(&r);
}

static void test_body_to_close(void **state)
{
	(void)state;
	struct rig r;
	rig_up(&r, "HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nuntil the end", 1);
	assert_int_equal(ask(&r, "GET", NULL), 200);
	assert_string_equal(r.resp, "until the end");
	assert_int_equal(ask(&r, "GET", NULL), 200);
	assert_int_equal(r.s.accepted, 2);
	rig_down(&r);
}

static void test_nobody(void **state)
{
	(void)state;
	struct script s;
	script_start(&s, "", 0);
	int port = s.port;
	script_stop(&s); /* the port is free again: nobody listens */
	struct gsend_target t;
	target(&t, port);
	struct gsend_conn *c = gsend_conn_new(&t);
	const char *resp;
	size_t n;
	assert_int_equal(gsend_request(c, "GET", "/", NULL, NULL, NULL, 0, &resp, &n), -1);
	gsend_conn_free(c);
}

struct feed {
	int next, total;
	int seen[64];
	int statuses[600];
};

static int feed_next(void *ctx, struct gsend_msg *m)
{
	struct feed *f = ctx;
	if (f->next == f->total)
		return 1;
	m->body = "<x/>";
	m->len = 4;
	m->token = "t";
	snprintf(m->tag, sizeof m->tag, "%d", f->next++);
	return 0;
}

static void feed_answer(void *ctx, const char *tag, int status, const char *resp, size_t len)
{
	struct feed *f = ctx;
	int i = atoi(tag);
	f->seen[i]++;
	f->statuses[i] = status;
	assert_int_equal(len, 2);
	assert_string_equal(resp, "ok");
}

static void test_run(void **state)
{
	(void)state;
	struct script s;
	script_start(&s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 1000);
	s.fail_first = 3;
	struct gsend_target t;
	target(&t, s.port);
	struct feed f = {.total = 64};
	struct gsend_opts o = {&t, 4, 0, 5};
	struct gsend_result r;
	assert_int_equal(gsend_run(&o, feed_next, feed_answer, &f, &r), 0);
	assert_int_equal(r.sent, 64);
	assert_int_equal(r.ok, 64);
	assert_int_equal(r.retried, 3);
	assert_int_equal(r.unavailable + r.errors + r.bad, 0);
	for (int i = 0; i < 64; i++) {
		assert_int_equal(f.seen[i], 1);
		assert_int_equal(f.statuses[i], 200);
	}
	assert_true(s.accepted <= 4);
	assert_true(r.p99_ms >= r.p50_ms);
	script_stop(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_urls),          cmocka_unit_test(test_kept_alive),
	    cmocka_unit_test(test_closed_by_server), cmocka_unit_test(test_body_to_close),
	    cmocka_unit_test(test_nobody),        cmocka_unit_test(test_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
