import { replyTokens } from './reply-text.js';

const WORDS_PER_SEGMENT = 10;

export interface TranscriptSegment {
  index: number;
  text: string;
  start: number;
  end: number;
  /** Positions of the segment's words in the transcript. */
  firstWord: number;
  wordCount: number;
}

/** A transcript of `wordCount` words spread evenly over `seconds` of audio. */
export interface Transcript {
  words: string[];
  text: string;
  seconds: number;
  segments: TranscriptSegment[];
}

function roundTime(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}

export function buildTranscript(wordCount: number, seconds: number): Transcript {
  const words = replyTokens(wordCount);
  const secondsPerWord = wordCount > 0 ? seconds / wordCount : 0;
  const segments: TranscriptSegment[] = [];
  for (let first = 0; first < wordCount; first += WORDS_PER_SEGMENT) {
    const count = Math.min(WORDS_PER_SEGMENT, wordCount - first);
    segments.push({
      index: segments.length,
      text: words.slice(first, first + count).join(''),
      start: roundTime(first * secondsPerWord),
      end: roundTime((first + count) * secondsPerWord),
      firstWord: first,
      wordCount: count,
    });
  }
  return { words, text: words.join(''), seconds, segments };
}

function timestamp(seconds: number, separator: ',' | '.'): string {
  const milliseconds = Math.round(seconds * 1000);
  const hours = Math.floor(milliseconds / 3_600_000);
  const minutes = Math.floor((milliseconds % 3_600_000) / 60_000);
  const wholeSeconds = Math.floor((milliseconds % 60_000) / 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(hours)}:${pad(minutes)}:${pad(wholeSeconds)}${separator}${pad(milliseconds % 1000, 3)}`;
}

export function transcriptToSrt(transcript: Transcript): string {
  return transcript.segments
    .map(
      (segment) =>
        `${segment.index + 1}\n${timestamp(segment.start, ',')} --> ${timestamp(segment.end, ',')}\n${segment.text.trim()}\n`,
    )
    .join('\n');
}

export function transcriptToVtt(transcript: Transcript): string {
  const cues = transcript.segments.map(
    (segment) =>
      `${timestamp(segment.start, '.')} --> ${timestamp(segment.end, '.')}\n${segment.text.trim()}\n`,
  );
  return ['WEBVTT\n', ...cues].join('\n');
}
