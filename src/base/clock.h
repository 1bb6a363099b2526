/* Seconds on the monotonic clock, for rates and latencies (not the time of day). */
#ifndef CBEC_CLOCK_H
#define CBEC_CLOCK_H

double clock_s(void);

#endif
