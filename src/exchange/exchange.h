/* The file exchange folder, the way enterprises' declaration clients drop files:
 *   DIR/in/NAME.xml       a message to submit (write it elsewhere and rename it in)
 *   DIR/processed/NAME.xml  moved there once committed and answered
 *   DIR/failed/NAME.xml   not a CEB message; NAME.xml.reason.txt and NAME.xml.receipt.xml beside
 *   DIR/out/CODE/SEQ-CEBnnn-STATUS.xml  every receipt for enterprise CODE, in order
 * A file is moved only after its message is committed; after a crash it is submitted again
 * and, having the same guid, gets the same answer. With an audit log (borrowed, NULL for
 * none), a file is moved only once its submission is recorded there, on disk. */
#ifndef EXCHANGE_EXCHANGE_H
#define EXCHANGE_EXCHANGE_H

struct svc;
struct audit;
struct exchange;

int exchange_start(struct svc *svc, const char *dir, struct audit *audit, struct exchange **out,
		   char *err, unsigned long errlen);
void exchange_stop(struct exchange *x);

#endif
