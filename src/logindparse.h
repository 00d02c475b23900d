/*
 * The parsers of the RemoveIPC= audit (logind.h): logind.conf and
 * login.defs, as systemd reads them (a process's cgroup is cgroup.h's).
 * Pure functions over text, in the parser library (no I/O).
 */
#ifndef IPCINSPECT_LOGINDPARSE_H
#define IPCINSPECT_LOGINDPARSE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * systemd's parse_boolean(): 1/yes/y/true/t/on and 0/no/n/false/f/off,
 * any case.  Returns false (and leaves *ret) for anything else.
 */
bool logind_parse_bool(const char *s, bool *ret);

/*
 * One logind.conf file's text: each RemoveIPC= of its [Login] section
 * sets *remove_ipc.  A value that is not a boolean is ignored, as logind
 * ignores it (the value before it stays, the default unless an earlier
 * line or file set one); so is an assignment outside a section.  Returns
 * how many lines were ignored that way.
 */
unsigned logind_parse_conf(const char *text, bool *remove_ipc);

/* The SYS_UID_MAX of login.defs text, or def without a valid one. */
uint32_t logind_parse_login_defs(const char *text, uint32_t def);

#endif
