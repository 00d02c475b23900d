/*
 * -H/--list-columns (lsblk, lsfd): the columns of the kinds, each with
 * the JSON type of its value and what it is, from the kinds' column
 * tables.  What --help listed once; the bash completion reads it.
 */
#include "config.h"

#include <errno.h>

#include "attrib.h"
#include "jsonw.h"
#include "render.h"

static void columns_print_table(FILE *out, const struct ipc_kind *const *kinds, size_t n)
{
	size_t k, i;

	for (k = 0; k < n; k++) {
		fprintf(out, "%s%s: %s\n", k ? "\n" : "", kinds[k]->name, kinds[k]->title);
		for (i = 0; i < kind_ncolumns(kinds[k]); i++) {
			const struct column *col = kind_column(kinds[k], i);

			fprintf(out, " %-12s %-8s %s\n", col->name, column_type_name(col->type),
				col->help);
		}
	}
}

static void columns_print_json(FILE *out, const struct ipc_kind *const *kinds, size_t n)
{
	struct jw w;
	size_t k, i;

	jw_init(&w, out);
	jw_obj_begin(&w);
	jw_lines(&w, 1);
	jw_key(&w, "columns");
	jw_obj_begin(&w);
	jw_lines(&w, n);
	for (k = 0; k < n; k++) {
		jw_key(&w, kinds[k]->name);
		jw_arr_begin(&w);
		jw_lines(&w, kind_ncolumns(kinds[k]));
		for (i = 0; i < kind_ncolumns(kinds[k]); i++) {
			const struct column *col = kind_column(kinds[k], i);

			jw_obj_begin(&w);
			jw_key(&w, "name");
			jw_str(&w, col->name);
			jw_key(&w, "json");
			jw_str(&w, col->json);
			jw_key(&w, "type");
			jw_str(&w, column_type_name(col->type));
			jw_key(&w, "description");
			jw_str(&w, col->help);
			jw_obj_end(&w);
		}
		jw_lines_end(&w, kind_ncolumns(kinds[k]));
		jw_arr_end(&w);
	}
	jw_lines_end(&w, n);
	jw_obj_end(&w);
	jw_lines_end(&w, 1);
	jw_obj_end(&w);
	jw_raws(&w, "\n");
	jw_finish(&w);
}

int columns_print(FILE *out, const struct ipc_kind *const *kinds, size_t n, bool json)
{
	if (json)
		columns_print_json(out, kinds, n);
	else
		columns_print_table(out, kinds, n);
	return ferror(out) ? -EIO : 0;
}
