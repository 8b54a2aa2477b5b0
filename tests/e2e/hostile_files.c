/* hostile_files.c — files that are hostile by what they are rather than by
 * what they hold (generators for test_hostile.c): a FIFO where heft reads a
 * file, and a sparse 10 GB file that starts with the gzip magic. Each writes
 * beside it the small ELF file and the budget its commands name
 * ("{}.elf", "{}.budget.toml"). */
#include "elf_layout.h"
#include "hostile.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An x86-64 executable with an empty .symtab and nothing else: heft reads it
 * without a word (no "stripped" warning), so a command's one error line is
 * about the file under test. */
static bool write_small_elf(const char *path)
{
    static const char names[] = "\0.shstrtab\0.symtab\0.strtab";
    struct SmallElf {
        E64Ehdr eh;
        E64Shdr sh[4];
        unsigned char sym[24]; /* the null symbol */
        char strtab[8];
        char names[sizeof names];
    } f = {0};
    memcpy(f.eh.e_ident, "\x7f" "ELF\x02\x01\x01", 7);
    f.eh.e_type = 2; /* ET_EXEC */
    f.eh.e_machine = 62; /* x86-64 */
    f.eh.e_version = 1;
    f.eh.e_shoff = offsetof(struct SmallElf, sh);
    f.eh.e_ehsize = sizeof(E64Ehdr);
    f.eh.e_shentsize = sizeof(E64Shdr);
    f.eh.e_shnum = 4;
    f.eh.e_shstrndx = 1;
    memcpy(f.names, names, sizeof names);
    f.sh[1] = (E64Shdr){.sh_name = 1, .sh_type = 3, .sh_offset = offsetof(struct SmallElf, names),
                     .sh_size = sizeof names, .sh_addralign = 1};
    f.sh[2] = (E64Shdr){.sh_name = 11, .sh_type = 2, .sh_offset = offsetof(struct SmallElf, sym), .sh_size = 24,
                     .sh_link = 3, .sh_info = 1, .sh_addralign = 8, .sh_entsize = 24};
    f.sh[3] = (E64Shdr){.sh_name = 19, .sh_type = 3, .sh_offset = offsetof(struct SmallElf, strtab), .sh_size = 1,
                     .sh_addralign = 1};
    return hostile_write(path, &f, sizeof f);
}

/* The ELF file and the budget beside path that the rows' commands name. */
static bool write_helpers(const char *path)
{
    char p[4096];
    static const char budget[] = "[total]\nfile = \"10 MiB\"\n";
    snprintf(p, sizeof p, "%s.elf", path);
    if (!write_small_elf(p))
        return false;
    snprintf(p, sizeof p, "%s.budget.toml", path);
    return hostile_write(p, budget, sizeof budget - 1);
}

/* A FIFO at path, which blocks whoever opens it for reading until a writer
 * comes (none will); the twin is a regular file of a few bytes. */
bool hostile_gen_fifo(const char *path, bool hostile)
{
    static const char text[] = "not a fifo\n";
    if (!write_helpers(path))
        return false;
    if (!hostile)
        return hostile_write(path, text, sizeof text - 1);
    if (mkfifo(path, 0644) != 0) {
        fprintf(stderr, "hostile: mkfifo %s: %s\n", path, strerror(errno));
        return false;
    }
    return true;
}

/* A sparse file of 10 GB (no disk blocks) that starts with the gzip magic,
 * which heft takes for a snapshot; the twin, the same without the magic,
 * goes to the ELF reader. Inflating into a buffer sized from the input's
 * size (4 × 10 GB) fails, and was an abort. */
bool hostile_gen_gzip_sparse(const char *path, bool hostile)
{
    static const unsigned char head[2][2] = {{0, 0}, {0x1f, 0x8b}};
    if (!write_helpers(path) || !hostile_write(path, head[hostile], 2))
        return false;
    if (truncate(path, 10ll << 30) != 0) {
        fprintf(stderr, "hostile: truncate %s: %s\n", path, strerror(errno));
        return false;
    }
    return true;
}
