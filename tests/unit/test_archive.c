/* test_archive.c (unit) — the ar reader on archives built in memory, and the
 * section groups archives are shown by. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "archive.h"

static size_t group(const char *name)
{
    return image_section_group(name);
}

Test(archive_group, linker_groups)
{
    cr_assert_eq(group(".text.foo"), 5);
    cr_assert_eq(group(".text.unlikely.foo"), 5);
    cr_assert_eq(group(".text"), 5);
    cr_assert_eq(group(".rodata.str1.1"), 7);
    cr_assert_eq(group(".rodata..L__unnamed_1"), 7);
    cr_assert_eq(group(".data.rel.ro.local"), 12);
    cr_assert_eq(group(".data.rel.ro"), 12, ".data.rel.ro is a group of its own, not .data");
    cr_assert_eq(group(".data.rel.local"), 5);
    cr_assert_eq(group(".rela.text._ZN3foo3barE"), 10);
    cr_assert_eq(group(".rel.data.x"), 9);
    cr_assert_eq(group(".rela.data.rel.ro.y"), 17);
    cr_assert_eq(group(".bss.counter"), 4);
    cr_assert_eq(group(".tbss.x"), 5);
    cr_assert_eq(group(".gcc_except_table._ZN1a1bE"), 17);
}

Test(archive_group, other_names_are_their_own)
{
    static const char *const same[] = {".textual", ".text_x", ".debug_info", ".eh_frame", ".rela.eh_frame",
                                       ".note.GNU-stack", ".group", ".rmeta", "", ".rela"};
    for (size_t i = 0; i < sizeof same / sizeof *same; i++)
        cr_assert_eq(group(same[i]), strlen(same[i]), "%s", same[i]);
}

/* An archive of two non-ELF members, one GNU long name, one odd size. */
Test(archive_parse, members_in_memory)
{
    unsigned char buf[512];
    size_t n = 0;
    memcpy(buf, "!<arch>\n", 8);
    n = 8;
    const char *names = "a_long_member_name.txt/\n";
    n += (size_t)sprintf((char *)buf + n, "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", "//", "", "", "", "", strlen(names));
    memcpy(buf + n, names, strlen(names));
    n += strlen(names);
    n += (size_t)sprintf((char *)buf + n, "%-16s%-12s%-6s%-6s%-8s%-10d`\n", "/0", "0", "0", "0", "644", 3);
    memcpy(buf + n, "abc\n", 4); /* 3 bytes and a padding byte */
    n += 4;
    n += (size_t)sprintf((char *)buf + n, "%-16s%-12s%-6s%-6s%-8s%-10d`\n", "short.txt/", "0", "0", "0", "644", 2);
    memcpy(buf + n, "xy", 2);
    n += 2;
    Arena *a = arena_new();
    Image img;
    char err[256] = "";
    cr_assert_eq(archive_parse(a, "t.a", buf, n, &img, err, sizeof err), 0, "%s", err);
    cr_assert(img.archive);
    cr_assert_eq(img.nmembers, 3);
    cr_assert_eq(img.members[0].kind, MEMBER_LONG_NAMES);
    cr_assert_str_eq(img.members[1].name, "a_long_member_name.txt");
    cr_assert_eq(img.members[1].kind, MEMBER_OTHER);
    cr_assert_eq(img.members[1].size, 3);
    cr_assert_eq(img.members[1].pad, 1);
    cr_assert_str_eq(img.members[2].name, "short.txt");
    cr_assert_eq(img.members[2].offset, n - 2);
    cr_assert_eq(img.members[2].pad, 0);
    cr_assert_eq(img.nsections, 0);
    arena_free(a);
}
