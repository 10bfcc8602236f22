/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-thread.c — worker threads that give way to the window.
 *
 * In the window's process the crawl and every query run beside the thread
 * that draws, often on fewer cores than there are busy threads.  The
 * kernel shares a core between equals, so a frame that needs 20 ms of CPU
 * could take 60 ms while three workers run.  Workers lower their own
 * priority instead: the drawing thread goes first and they get whatever
 * it leaves, which is nearly everything.  trawl-cli leaves its threads as
 * they are.
 */
#define _GNU_SOURCE
#include "config.h"

#include "trawl-thread.h"

#ifdef __linux__
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

/* The nice value of a lowered thread: well behind the drawing thread
 * (about a tenth of its share when both want a core), still ahead of
 * nice 19 batch work. */
#define WORKER_NICE 10

static GPrivate lowered;

/**
 * trawl_thread_lower_priority:
 *
 * Lowers the calling thread's CPU priority so a thread at the normal
 * priority, the one that draws the window, runs first when both want a
 * core.  Linux keeps a priority per thread; elsewhere this does nothing.
 * It lasts for the thread's life, since an unprivileged thread cannot
 * raise it again, so call it only from threads that do background work;
 * calls after the first cost next to nothing.
 */
void
trawl_thread_lower_priority (void)
{
  if (g_private_get (&lowered) != NULL)
    return;
  g_private_set (&lowered, GINT_TO_POINTER (TRUE));

#ifdef __linux__
  {
    pid_t tid = gettid ();

    errno = 0;
    if (getpriority (PRIO_PROCESS, tid) < WORKER_NICE && errno == 0)
      setpriority (PRIO_PROCESS, tid, WORKER_NICE);
  }
#endif
}
