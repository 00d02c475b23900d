/*
 * The parsers of what systemd-logind reads, pure functions over text
 * already read (logindparse.h): no I/O, unit-tested (tests/test-logind.c)
 * and fuzzed (tests/fuzz-logind.c) alone.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "logindparse.h"
#include "strutils.h"
#include "xalloc.h"

bool logind_parse_bool(const char *s, bool *ret)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
	static const char *const no[] = { "0", "no", "n", "false", "f", "off" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*ret = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*ret = false;
			return true;
		}
	}
	return false;
}

/* s without leading and trailing white space, in place. */
static char *strip(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* One line of a logind.conf: a section header, or Key=value in section. */
static unsigned conf_line(char *line, char **section, bool *remove_ipc)
{
	char *eq, *key, *value;
	size_t len;

	line = strip(line);
	if (!*line || *line == '#' || *line == ';')
		return 0;
	len = strlen(line);
	if (*line == '[') {
		free(*section);
		*section = line[len - 1] == ']' ? xstrndup(line + 1, len - 2) : NULL;
		return *section ? 0 : 1;
	}
	eq = strchr(line, '=');
	if (!eq)
		return 1;
	*eq = '\0';
	key = strip(line);
	value = strip(eq + 1);
	if (!*section)
		return 1;	/* logind: "Assignment outside of section. Ignoring." */
	if (strcmp(*section, "Login") != 0 || strcmp(key, "RemoveIPC") != 0)
		return 0;
	return logind_parse_bool(value, remove_ipc) ? 0 : 1;
}

unsigned logind_parse_conf(const char *text, bool *remove_ipc)
{
	_cleanup_free_ char *copy = xstrdup(text);
	char *section = NULL, *line, *next;
	unsigned bad = 0;

	for (line = copy; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		bad += conf_line(line, &section, remove_ipc);
	}
	free(section);
	return bad;
}

uint32_t logind_parse_login_defs(const char *text, uint32_t def)
{
	static const char key[] = "SYS_UID_MAX";
	uint32_t found = def;
	const char *line, *next;

	for (line = text; line && *line; line = next) {
		const char *p = line + strspn(line, " \t");
		const char *end = strchr(p, '\n');
		char value[24];
		size_t len;
		uint64_t n;

		next = end ? end + 1 : NULL;
		end = end ? end : p + strlen(p);
		if (strncmp(p, key, sizeof(key) - 1) != 0 || !strchr(" \t", p[sizeof(key) - 1]))
			continue;
		p += sizeof(key) - 1;
		p += strspn(p, " \t");
		len = strcspn(p, " \t\n");
		if (len == 0 || len >= sizeof(value) || p + len > end)
			continue;
		memcpy(value, p, len);
		value[len] = '\0';
		if (parse_u64(value, &n) == 0 && n < UINT32_MAX)
			found = (uint32_t)n;
	}
	return found;
}
