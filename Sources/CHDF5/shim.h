// The one C header Swift sees for libhdf5.
//
// HDF5 exposes many constants as macros that Swift cannot import, for example
// `#define H5T_NATIVE_FLOAT (H5OPEN H5T_NATIVE_FLOAT_g)`, and some functions as
// version-dependent macros (`H5Lget_info` is `H5Lget_info2` from 1.12 on). Each one
// used by HDF5Reading becomes a `static inline` function with a `chdf5_` prefix
// here, so the Swift code calls the same names against libhdf5 1.10 (Debian) and
// 1.14 (Homebrew).
//
// Nothing in this header takes the HDF5Reading lock: callers must hold it.

#ifndef CHDF5_SHIM_H
#define CHDF5_SHIM_H

#include <hdf5.h>

// MARK: - Property lists, selections, error stacks, file flags

static inline hid_t chdf5_p_default(void) { return H5P_DEFAULT; }
static inline hid_t chdf5_p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t chdf5_p_link_access(void) { return H5P_LINK_ACCESS; }
static inline hid_t chdf5_s_all(void) { return H5S_ALL; }
static inline hid_t chdf5_e_default(void) { return H5E_DEFAULT; }
static inline unsigned chdf5_f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline size_t chdf5_t_variable(void) { return H5T_VARIABLE; }
static inline haddr_t chdf5_haddr_undef(void) { return HADDR_UNDEF; }

// MARK: - Predefined datatypes

static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t chdf5_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t chdf5_native_uint64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t chdf5_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t chdf5_c_s1(void) { return H5T_C_S1; }

// MARK: - Version-dependent functions

/// The type of the link `name` (hard, soft, external, user-defined), without
/// following it. Returns `H5L_TYPE_ERROR` on failure.
static inline H5L_type_t chdf5_link_type(hid_t loc, const char *name, hid_t lapl) {
    H5L_info_t info;  // H5L_info2_t under the 1.12+ API mapping; `.type` exists in both
    if (H5Lget_info(loc, name, &info, lapl) < 0) {
        return H5L_TYPE_ERROR;
    }
    return info.type;
}

/// Frees the variable-length data HDF5 allocated while reading into `buf`.
static inline herr_t chdf5_vlen_reclaim(hid_t type, hid_t space, void *buf) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Treclaim(type, space, H5P_DEFAULT, buf);
#else
    return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf);
#endif
}

/// Called once per link name; return 0 to continue, a positive value to stop.
typedef int (*chdf5_name_visitor)(const char *name, void *context);

typedef struct {
    chdf5_name_visitor visitor;
    void *context;
} chdf5_name_visit;

#if H5_VERSION_GE(1, 12, 0)
static herr_t chdf5_link_name_trampoline(hid_t group, const char *name, const H5L_info2_t *info, void *data) {
#else
static herr_t chdf5_link_name_trampoline(hid_t group, const char *name, const H5L_info_t *info, void *data) {
#endif
    (void)group;
    (void)info;
    const chdf5_name_visit *visit = (const chdf5_name_visit *)data;
    return (herr_t)visit->visitor(name, visit->context);
}

/// Visits the names of the links in `group` in increasing name order, in one pass
/// (`H5Literate`, whose callback type differs between 1.10 and 1.12+).
static inline herr_t chdf5_iterate_link_names(hid_t group, chdf5_name_visitor visitor, void *context) {
    chdf5_name_visit visit = {visitor, context};
    hsize_t index = 0;
#if H5_VERSION_GE(1, 12, 0)
    return H5Literate2(group, H5_INDEX_NAME, H5_ITER_INC, &index, chdf5_link_name_trampoline, &visit);
#else
    return H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &index, chdf5_link_name_trampoline, &visit);
#endif
}

/// The file address of the object at `name` (relative to `loc`), found without opening the
/// object (opening a dataset makes libhdf5 decode its messages). `H5Oget_info_by_name2` gives
/// the address in 1.10; 1.12+ give a token that the native VOL connector turns into one.
static inline herr_t chdf5_object_address_by_name(hid_t loc, const char *name, hid_t lapl, haddr_t *address) {
#if H5_VERSION_GE(1, 12, 0)
    H5O_info2_t info;
    if (H5Oget_info_by_name3(loc, name, &info, H5O_INFO_BASIC, lapl) < 0) {
        return -1;
    }
    return H5VLnative_token_to_addr(loc, info.token, address);
#else
    H5O_info_t info;
    if (H5Oget_info_by_name2(loc, name, &info, H5O_INFO_BASIC, lapl) < 0) {
        return -1;
    }
    *address = info.addr;
    return 0;
#endif
}

#endif  // CHDF5_SHIM_H
