/**
 * The order in which the dataflow visits the nodes that have states queued: in rounds, each round
 * in increasing node id (the graph's creation order, close to source order), a node queued after
 * its round has passed it waiting for the next round. That is exactly the order of sweeping every
 * node of the graph once per round until nothing is queued — which finds the earliest throwing
 * call first, as the messages need — at the cost of the nodes that have work rather than of
 * rounds × graph size (a function with many loops took one full sweep per loop). Two binary heaps:
 * this round's nodes and the next round's.
 */
export class RoundSchedule {
  private current: number[] = [];
  private next: number[] = [];
  private inCurrent: Uint8Array;
  private inNext: Uint8Array;
  /** The node being visited in this round; -1 between rounds. */
  private position = -1;

  constructor(size: number) {
    this.inCurrent = new Uint8Array(size);
    this.inNext = new Uint8Array(size);
  }

  /** `node` has a state queued: visit it later in this round if the round has not passed it, else in the next. */
  add(node: number): void {
    if (node > this.position) {
      if (this.inCurrent[node]) return;
      this.inCurrent[node] = 1;
      push(this.current, node);
    } else {
      if (this.inNext[node]) return;
      this.inNext[node] = 1;
      push(this.next, node);
    }
  }

  /** The next node to visit, or undefined when nothing is queued any more. */
  take(): number | undefined {
    if (this.current.length === 0) {
      if (this.next.length === 0) return undefined;
      [this.current, this.next] = [this.next, this.current];
      [this.inCurrent, this.inNext] = [this.inNext, this.inCurrent];
      this.position = -1;
    }
    const node = pop(this.current);
    this.inCurrent[node] = 0;
    this.position = node;
    return node;
  }
}

function push(heap: number[], value: number): void {
  heap.push(value);
  for (let index = heap.length - 1; index > 0; ) {
    const parent = (index - 1) >> 1;
    if (heap[parent]! <= value) break;
    heap[index] = heap[parent]!;
    heap[parent] = value;
    index = parent;
  }
}

function pop(heap: number[]): number {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length === 0) return top;
  heap[0] = last;
  for (let index = 0; ; ) {
    const left = 2 * index + 1;
    const right = left + 1;
    let smallest = index;
    if (left < heap.length && heap[left]! < heap[smallest]!) smallest = left;
    if (right < heap.length && heap[right]! < heap[smallest]!) smallest = right;
    if (smallest === index) break;
    [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
    index = smallest;
  }
  return top;
}
