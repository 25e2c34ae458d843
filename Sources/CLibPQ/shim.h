#ifndef DOMICILE_CLIBPQ_SHIM_H
#define DOMICILE_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
