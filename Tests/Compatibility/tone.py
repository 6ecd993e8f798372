"""Synthetic media for the WebRTC tests: a sine-wave audio track, a moving test-pattern video track, and the
analysis of what came back (mono conversion, dominant frequency, RMS)."""

import asyncio
import fractions
import math
import time
import wave
from pathlib import Path

import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack, VideoStreamTrack
from av import AudioFrame, VideoFrame

SAMPLE_RATE = 48_000
FRAME_SAMPLES = 960  # 20 ms at 48 kHz
AUDIO_TIME_BASE = fractions.Fraction(1, SAMPLE_RATE)
MIN_ANALYSIS_SECONDS = 0.5


class ToneTrack(MediaStreamTrack):
    """An audio track playing a continuous sine wave: 48 kHz mono s16 frames of 20 ms, paced in real time."""

    kind = "audio"

    def __init__(self, frequency: float, amplitude: float = 0.3):
        super().__init__()
        self.frequency = frequency
        self.amplitude = amplitude
        self._start = None
        self._pts = 0

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.monotonic()
        else:
            self._pts += FRAME_SAMPLES
            await asyncio.sleep(self._start + self._pts / SAMPLE_RATE - time.monotonic())
        frame = AudioFrame.from_ndarray(sine_samples(self.frequency, self._pts, FRAME_SAMPLES, self.amplitude)[None, :],
                                        format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._pts
        frame.time_base = AUDIO_TIME_BASE
        return frame


def sine_samples(frequency: float, first: int, count: int, amplitude: float = 0.3,
                 sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """`count` int16 samples of a sine wave starting at sample index `first` (so consecutive calls join up)."""
    index = np.arange(first, first + count, dtype=np.float64)
    values = amplitude * np.sin(2 * math.pi * frequency * index / sample_rate)
    return np.round(values * 32767).astype(np.int16)


def write_tone_wav(path: Path, frequency: float, seconds: float = 10, amplitude: float = 0.3) -> Path:
    """A mono 16-bit 48 kHz WAV file of a sine wave (Chromium's `--use-file-for-fake-audio-capture` input)."""
    samples = sine_samples(frequency, 0, int(seconds * SAMPLE_RATE), amplitude)
    with wave.open(str(path), "wb") as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(SAMPLE_RATE)
        output.writeframes(samples.tobytes())
    return path


class PatternVideoTrack(VideoStreamTrack):
    """A video track of moving frames (a bright bar sweeping over a gradient), 30 fps, paced in real time."""

    def __init__(self, width: int = 320, height: int = 240):
        super().__init__()
        self.width = width
        self.height = height
        self._index = 0
        gradient = np.linspace(0, 255, width, dtype=np.uint8)
        self._background = np.repeat(np.tile(gradient, (height, 1))[:, :, None], 3, axis=2)

    async def recv(self) -> VideoFrame:
        pts, time_base = await self.next_timestamp()
        image = self._background.copy()
        bar = (self._index * 4) % self.width
        image[:, bar:bar + 16] = (255, 64, 32)
        self._index += 1
        frame = VideoFrame.from_ndarray(image, format="rgb24")
        frame.pts = pts
        frame.time_base = time_base
        return frame


def to_mono(frame: AudioFrame) -> np.ndarray:
    """The frame's samples as mono float64 in [-1, 1], whatever its sample format and channel layout."""
    data = frame.to_ndarray()
    channels = len(frame.layout.channels)
    if frame.format.is_planar:
        data = data.reshape(channels, -1)
    else:
        data = data.reshape(-1, channels).T
    if np.issubdtype(data.dtype, np.integer):
        data = data.astype(np.float64) / float(np.iinfo(data.dtype).max)
    return data.astype(np.float64).mean(axis=0)


def dominant_frequency(samples: np.ndarray, sample_rate: int) -> float:
    """The frequency (Hz) of the strongest spectral peak of at least 0.5 s of mono samples, interpolated between
    FFT bins."""
    if len(samples) < MIN_ANALYSIS_SECONDS * sample_rate:
        raise ValueError(f"{len(samples)} samples at {sample_rate} Hz: need at least {MIN_ANALYSIS_SECONDS} s")
    centred = samples - samples.mean()
    spectrum = np.abs(np.fft.rfft(centred * np.hanning(len(centred))))
    spectrum[0] = 0
    peak = int(np.argmax(spectrum))
    offset = 0.0
    if 0 < peak < len(spectrum) - 1:
        left, centre, right = np.log(spectrum[peak - 1:peak + 2] + 1e-12)
        denominator = left - 2 * centre + right
        if denominator != 0:
            offset = 0.5 * (left - right) / denominator
    return (peak + offset) * sample_rate / len(centred)


def rms(samples: np.ndarray) -> float:
    """Root mean square of float samples (0 for silence, about 0.21 for a sine of amplitude 0.3)."""
    return float(np.sqrt(np.mean(np.square(samples)))) if len(samples) else 0.0
