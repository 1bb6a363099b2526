/* prio: a background thread's lower scheduling priority (see prio.h). */
#include "base/prio.h"

#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/err.h"

int prio_background(void)
{
	/* PRIO_PROCESS with a thread id names that one thread on Linux */
	id_t self = (id_t)gettid();
	errno = 0;
	int now = getpriority(PRIO_PROCESS, self);
	if (now == -1 && errno != 0)
		return CBEC_EIO;
	return setpriority(PRIO_PROCESS, self, now + PRIO_BACKGROUND_NICE) == 0 ? 0 : CBEC_EIO;
}
