#ifndef DOMICILE_CLIBPQ_SHIM_H
#define DOMICILE_CLIBPQ_SHIM_H
#include <libpq-fe.h>
/* glibc's allocator controls (mallopt, malloc_trim): Postgres.Heap. */
#include <malloc.h>
#endif
