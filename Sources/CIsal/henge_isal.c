#include "henge_isal.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>

// ISA-L's CRC-32 (the gzip/zlib polynomial, same values as zlib's crc32),
// several times faster than zlib's; looked up by name, no header needed.
static uint32_t (*isal_crc32_fn)(uint32_t, const uint8_t *, uint64_t);
static pthread_once_t isal_crc32_once = PTHREAD_ONCE_INIT;

static void isal_crc32_load(void) {
    static const char *const names[] = {"libisal.so.2", "libisal.so", "libisal.2.dylib", "libisal.dylib"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        void *handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (!handle) continue;
        isal_crc32_fn = (uint32_t (*)(uint32_t, const uint8_t *, uint64_t))dlsym(handle, "crc32_gzip_refl");
        if (isal_crc32_fn) return;  // the handle stays open
        dlclose(handle);
    }
}

int henge_isal_crc32_available(void) {
    pthread_once(&isal_crc32_once, isal_crc32_load);
    return isal_crc32_fn != NULL;
}

uint32_t henge_isal_crc32(uint32_t crc, const uint8_t *bytes, uint64_t len) { return isal_crc32_fn(crc, bytes, len); }

#if defined(__has_include)
#if __has_include(<isa-l/igzip_lib.h>)
#define HENGE_HAVE_ISAL_HEADER 1
#endif
#endif

#ifdef HENGE_HAVE_ISAL_HEADER

#include <isa-l/igzip_lib.h>

static void (*isal_init_fn)(struct inflate_state *);
static void (*isal_reset_fn)(struct inflate_state *);
static int (*isal_inflate_fn)(struct inflate_state *);
static const char *isal_status = "ISA-L not loaded";
static pthread_once_t isal_once = PTHREAD_ONCE_INIT;

static void isal_load(void) {
    static const char *const names[] = {"libisal.so.2", "libisal.so", "libisal.2.dylib", "libisal.dylib"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        void *handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (!handle) continue;
        isal_init_fn = (void (*)(struct inflate_state *))dlsym(handle, "isal_inflate_init");
        isal_reset_fn = (void (*)(struct inflate_state *))dlsym(handle, "isal_inflate_reset");
        isal_inflate_fn = (int (*)(struct inflate_state *))dlsym(handle, "isal_inflate");
        if (isal_init_fn && isal_reset_fn && isal_inflate_fn) {
            isal_status = i == 0 ? "ISA-L igzip (libisal.so.2)" : "ISA-L igzip";
            return;  // the handle stays open: the functions stay in use
        }
        isal_init_fn = NULL;
        isal_reset_fn = NULL;
        isal_inflate_fn = NULL;
        dlclose(handle);
    }
    isal_status = "ISA-L library (libisal.so.2) not found";
}

int henge_isal_available(void) {
    pthread_once(&isal_once, isal_load);
    return isal_inflate_fn != NULL;
}

const char *henge_isal_status(void) {
    pthread_once(&isal_once, isal_load);
    return isal_status;
}

struct henge_isal_inflater {
    struct inflate_state state;
};

henge_isal_inflater *henge_isal_create(void) {
    if (!henge_isal_available()) return NULL;
    henge_isal_inflater *inflater = malloc(sizeof *inflater);
    if (!inflater) return NULL;
    isal_init_fn(&inflater->state);
    inflater->state.crc_flag = ISAL_GZIP;
    return inflater;
}

void henge_isal_destroy(henge_isal_inflater *inflater) { free(inflater); }

void henge_isal_reset(henge_isal_inflater *inflater) {
    isal_reset_fn(&inflater->state);
    inflater->state.crc_flag = ISAL_GZIP;
}

int henge_isal_inflate(henge_isal_inflater *inflater, const uint8_t *in, size_t in_len, size_t *consumed,
                       uint8_t *out, size_t out_len, size_t *produced, int *member_done) {
    struct inflate_state *s = &inflater->state;
    uint32_t in_avail = in_len > UINT32_MAX ? UINT32_MAX : (uint32_t)in_len;
    uint32_t out_avail = out_len > UINT32_MAX ? UINT32_MAX : (uint32_t)out_len;
    s->next_in = (uint8_t *)in;
    s->avail_in = in_avail;
    s->next_out = out;
    s->avail_out = out_avail;
    int rc = isal_inflate_fn(s);
    *consumed = in_avail - s->avail_in;
    *produced = out_avail - s->avail_out;
    *member_done = s->block_state == ISAL_BLOCK_FINISH;
    return rc;
}

#else  // built without ISA-L's header

int henge_isal_available(void) { return 0; }

const char *henge_isal_status(void) { return "built without ISA-L's header (apt-get install libisal-dev, then rebuild)"; }

henge_isal_inflater *henge_isal_create(void) { return NULL; }

void henge_isal_destroy(henge_isal_inflater *inflater) { (void)inflater; }

void henge_isal_reset(henge_isal_inflater *inflater) { (void)inflater; }

int henge_isal_inflate(henge_isal_inflater *inflater, const uint8_t *in, size_t in_len, size_t *consumed,
                       uint8_t *out, size_t out_len, size_t *produced, int *member_done) {
    (void)inflater; (void)in; (void)in_len; (void)out; (void)out_len;
    *consumed = 0;
    *produced = 0;
    *member_done = 0;
    return -100;
}

#endif
