// MultiHeadAttention's attentionAxes (Keras 3): attention over any axes between the batch
// and the features, the other axes acting as batch axes. Done by a layout change around the
// ordinary sequence path: x [B, ..., C] -> transpose to [B, others..., attended..., C] ->
// reshape to [B x others, attended (flattened), C]; the output and the scores go back the
// same way. The projections act on the last axis only, so they commute with the change.
import { reshape } from '../../ops/reshape';
import { transpose } from '../../ops/transpose';
import { broadcastTo } from '../../ops/tile';
import { describe } from '../../tensor/shape';
import type { Tensor } from '../../tensor/tensor';
import { formatShape } from '../symbolic_tensor';
import { everyEntry } from '../../options/every_entry';

/** attentionAxes as given: null (every axis between batch and features), one axis or a list. */
export type AttentionAxesArg = number | number[] | null | undefined;

/** The given axes as a list (null: none given), checked to be distinct integers. */
export function attentionAxesList(layer: string, axes: AttentionAxesArg): number[] | null {
  if (axes == null) return null;
  const list = typeof axes === 'number' ? [axes] : axes;
  if (!Array.isArray(list) || list.length === 0 || !everyEntry(list, (a) => Number.isInteger(a)))
    throw new Error(`${layer}: expected attentionAxes to be null, an integer or a non-empty list of integers, got ${describe(axes)}`);
  if (new Set(list).size !== list.length) throw new Error(`${layer}: expected attentionAxes without repeats, got ${describe(axes)}`);
  return [...list];
}

/**
 * The axes attention runs over for inputs of `rank`, ascending: the given ones (negative
 * counted from the end) or, for null, every axis between the batch (0) and the features
 * (rank - 1). Throws naming the layer for an axis out of range or the batch/feature axis.
 */
export function resolveAttentionAxes(layer: string, axes: number[] | null, rank: number): number[] {
  if (axes === null) return Array.from({ length: rank - 2 }, (_, i) => i + 1);
  const resolved = axes.map((a) => {
    const axis = a < 0 ? a + rank : a;
    if (axis < 0 || axis >= rank)
      throw new Error(`${layer}: attentionAxes ${formatShape(axes)} out of range for inputs of rank ${rank} (axes 1 to ${rank - 2}), got axis ${a}`);
    if (axis === 0) throw new Error(`${layer}: attentionAxes ${formatShape(axes)} include the batch axis 0; expected axes 1 to ${rank - 2}`);
    if (axis === rank - 1)
      throw new Error(
        `${layer}: attentionAxes ${formatShape(axes)} include the feature axis ${a} (${rank - 1} of rank ${rank}); expected axes 1 to ${rank - 2}`,
      );
    return axis;
  });
  if (new Set(resolved).size !== resolved.length) throw new Error(`${layer}: attentionAxes ${formatShape(axes)} name one axis twice`);
  return resolved.sort((a, b) => a - b);
}

/** How inputs of one rank move to and from the sequence layout [B x others, attended, C]. */
export class AxesLayout {
  /** Axes between batch and features that act as batch axes, ascending. */
  readonly others: number[];
  /** [0, others..., attended..., rank - 1]. */
  readonly perm: number[];

  constructor(
    readonly rank: number,
    /** The attended axes, ascending. */
    readonly attended: number[],
  ) {
    this.others = Array.from({ length: rank - 2 }, (_, i) => i + 1).filter((a) => !attended.includes(a));
    this.perm = [0, ...this.others, ...attended, rank - 1];
  }

  /** Whether the layout is already [B, T, C] (rank 3, attention over axis 1): nothing to move. */
  get isSequence(): boolean {
    return this.rank === 3;
  }

  /** The sizes of [batch, others...] of a shape of this rank. */
  lead<T>(shape: readonly T[]): T[] {
    return [shape[0], ...this.others.map((a) => shape[a])];
  }

  /** The sizes of the attended axes of a shape of this rank. */
  span<T>(shape: readonly T[]): T[] {
    return this.attended.map((a) => shape[a]);
  }

  /** x [B, ..., C] -> [B x others, attended, C]. */
  toSequence(x: Tensor): Tensor {
    const moved = this.perm.every((p, i) => p === i) ? x : transpose(x, this.perm);
    return reshape(moved, [product(this.lead(x.shape)), product(this.span(x.shape)), x.shape[this.rank - 1]]);
  }

  /** y [B x others, attended, C'] -> [B, ..., C'] with the query's sizes `shape`. */
  fromSequence(y: Tensor, shape: number[]): Tensor {
    const moved = reshape(y, [...this.lead(shape), ...this.span(shape), y.shape[2]]);
    const inverse = this.perm.map((_, i) => this.perm.indexOf(i));
    return inverse.every((p, i) => p === i) ? moved : transpose(moved, inverse);
  }

  /** Scores [B x others, heads, Tq, Tk] -> Keras's [B, others..., heads, Tq-axes..., Tk-axes...]. */
  scoresFromSequence(scores: Tensor, query: number[], key: number[]): Tensor {
    return reshape(scores, [...this.lead(query), scores.shape[1], ...this.span(query), ...this.span(key)]);
  }

  /**
   * An attentionMask as Keras takes it, broadcastable (after Keras's expansion: size-1 axes
   * inserted before the query axes) to [B, others..., heads, Tq-axes..., Tk-axes...], as
   * [B x others, 1 | heads, Tq, Tk] for the sequence path; throws naming the layer.
   */
  maskToSequence(layer: string, mask: Tensor, heads: number, query: number[], key: number[]): Tensor {
    const full = [...this.lead(query), heads, ...this.span(query), ...this.span(key)];
    const n = this.attended.length;
    const fits = mask.rank >= 2 * n && mask.rank <= full.length;
    const expanded = fits
      ? [...mask.shape.slice(0, mask.rank - 2 * n), ...new Array(full.length - mask.rank).fill(1), ...mask.shape.slice(mask.rank - 2 * n)]
      : [];
    if (!fits || !expanded.every((d, i) => d === 1 || d === full[i])) {
      throw new Error(
        `${layer}: expected attentionMask to broadcast to [batch, ...other axes, heads, ...query attention axes, ...key attention axes] = ${formatShape(full)} (axes of size 1 inserted before the query axes), got shape ${formatShape(mask.shape)}`,
      );
    }
    const h = expanded[full.length - 2 * n - 1];
    const target = [...full.slice(0, full.length - 2 * n - 1), h, ...full.slice(full.length - 2 * n)];
    const wide = broadcastTo(reshape(mask, expanded), target);
    return reshape(wide, [product(this.lead(query)), h, product(this.span(query)), product(this.span(key))]);
  }
}

function product(xs: number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}
