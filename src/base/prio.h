/* prio: the scheduling priority of the platform's own background threads.
 *
 * On two cores the one writer, which every answer waits for, shares the CPU with the intake
 * and with work that can wait a little: copying the WAL back (the checkpointer), handing the
 * outbox to customs and the customs simulator deciding. Under load the writer spent a fifth
 * of its time runnable but not running; those threads ask for less CPU (a higher nice
 * value), so the writer and the intake are served first and they take what is left. Linux
 * keeps a nice value per thread; raising it needs no privilege. */
#ifndef CBEC_PRIO_H
#define CBEC_PRIO_H

/* The nice value added for a background thread. */
#define PRIO_BACKGROUND_NICE 5

/* Lower the calling thread's priority by PRIO_BACKGROUND_NICE. 0, or CBEC_EIO (left as it
 * was: a thread that cannot is merely served as before). */
int prio_background(void);

#endif
