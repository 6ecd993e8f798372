// libopus as Swift sees it. Its settings are set through a variadic ctl with macro arguments, neither of
// which Swift can call, so each setting we use gets a fixed-signature wrapper here.
#include <opus/opus.h>

static inline int parley_opus_encoder_set_bitrate(OpusEncoder *encoder, opus_int32 bitsPerSecond) {
    return opus_encoder_ctl(encoder, OPUS_SET_BITRATE(bitsPerSecond));
}

static inline int parley_opus_encoder_set_complexity(OpusEncoder *encoder, opus_int32 complexity) {
    return opus_encoder_ctl(encoder, OPUS_SET_COMPLEXITY(complexity));
}

static inline int parley_opus_encoder_set_voice_signal(OpusEncoder *encoder) {
    return opus_encoder_ctl(encoder, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
}
