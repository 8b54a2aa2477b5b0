/* test_json.c — heft's JSON is valid JSON whatever bytes a symbol name holds:
 * quotes, backslashes and control characters are escaped, valid UTF-8 passes
 * through, and bytes that are not UTF-8 become U+FFFD. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

Test(json, odd_bytes_in_symbol_names)
{
    char dir[] = "/tmp/heft-json-XXXXXX";
    cr_assert(mkdtemp(dir));
    /* weird -> bad<FF>name<01>"q\e<C3 A9> */
    Run r = run_cmd("cd %s && printf 'int weird = 1;\\nint main(void){return weird;}\\n' > u.c && cc -O0 u.c -o u && "
                    "objcopy --redefine-sym \"weird=$(printf 'bad\\377name\\001\"q\\\\e\\303\\251')\" u u2",
                    dir);
    cr_assert_eq(r.status, 0, "building the fixture failed: %s", r.err);
    run_free(&r);
    json_t *j = heft_json("symbols -n 0 --filter name '%s/u2'", dir);
    json_t *rows = json_object_get(j, "rows");
    cr_assert_eq(json_array_size(rows), 1);
    const char *want = "bad\xef\xbf\xbdname\x01\"q\\e\xc3\xa9";
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rows, 0), "name")), want);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rows, 0), "raw")), want);
    cr_assert_eq(jint(json_array_get(rows, 0), "file_size"), 4);
    json_decref(j);
    r = run_cmd("rm -rf %s", dir);
    run_free(&r);
}
