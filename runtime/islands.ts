import { type ComponentType, createContext, Fragment, h, options, type VNode } from "preact";
import { useContext } from "preact/hooks";
import { Signal } from "@preact/signals";
import { encodeProp, IslandPropsError } from "./serialize.ts";

export { IslandPropsError };

/** What one page render collected: which islands it used and their encoded props. */
export class IslandCollector {
  readonly used = new Set<string>();
  readonly props: unknown[] = [];
  readonly signals: unknown[] = [];
  #signalIds = new Map<Signal, number>();

  add(name: string, props: Record<string, unknown>): number {
    const { children: _children, ...rest } = props;
    const encoded = encodeProp(rest, {
      path: `<${name}> props`,
      isSignal: (v): v is Signal => v instanceof Signal,
      signalId: (signal) => this.#signalId(signal as Signal, name),
    }) as Record<string, unknown>;
    if (props.children !== undefined && props.children !== null) encoded.children = { $slot: 1 };
    this.used.add(name);
    this.props.push(encoded);
    return this.props.length - 1;
  }

  #signalId(signal: Signal, name: string): number {
    let id = this.#signalIds.get(signal);
    if (id === undefined) {
      id = this.signals.length;
      this.#signalIds.set(signal, id);
      this.signals.push(null);
      this.signals[id] = encodeProp(signal.peek(), {
        path: `<${name}> signal value`,
        isSignal: (v): v is Signal => v instanceof Signal,
        signalId: () => {
          throw new IslandPropsError(`<${name}>: a signal may not hold another signal`);
        },
      });
    }
    return id;
  }
}

interface RenderState {
  collector: IslandCollector;
  /** True while rendering inside an island: nested islands hydrate with their parent. */
  inside: boolean;
}

const RenderContext = createContext<RenderState | null>(null);

const islandNames = new Map<ComponentType<never>, string>();
const wrappers = new Map<ComponentType<never>, ComponentType<Record<string, unknown>>>();
let creatingOriginal = false;

/** Declares which components are islands. Call once per registry (app, test fixtures). */
export function registerIslands(islands: Record<string, ComponentType<never>>): void {
  for (const [name, component] of Object.entries(islands)) islandNames.set(component, name);
}

function original(component: ComponentType<never>, props: Record<string, unknown>): VNode {
  creatingOriginal = true;
  try {
    return h(component as ComponentType<Record<string, unknown>>, props);
  } finally {
    creatingOriginal = false;
  }
}

function wrapperFor(component: ComponentType<never>, name: string) {
  let wrapper = wrappers.get(component);
  if (wrapper) return wrapper;
  wrapper = function IslandMarker(props: Record<string, unknown>) {
    const state = useContext(RenderContext);
    if (!state || state.inside) return original(component, props);
    const index = state.collector.add(name, props);
    const hasChildren = props.children !== undefined && props.children !== null;
    const innerProps = hasChildren
      ? {
        ...props,
        children: h(
          "salon-slot",
          null,
          h(
            RenderContext.Provider,
            { value: { ...state, inside: false } },
            props.children as VNode,
          ),
        ),
      }
      : props;
    return h(
      "salon-island",
      { "data-island": name, "data-props": String(index) },
      h(
        RenderContext.Provider,
        { value: { ...state, inside: true } },
        original(component, innerProps),
      ),
    );
  };
  wrappers.set(component, wrapper);
  return wrapper;
}

const previousVnodeHook = options.vnode;
options.vnode = (vnode: VNode) => {
  const type = vnode.type as ComponentType<never>;
  if (!creatingOriginal && typeof type === "function") {
    const name = islandNames.get(type);
    if (name) (vnode as { type: unknown }).type = wrapperFor(type, name);
  }
  previousVnodeHook?.(vnode);
};

/** Wraps a page so islands inside it are marked and their props collected. */
export function withIslands<P>(page: VNode<P>, collector: IslandCollector): VNode {
  const state: RenderState = { collector, inside: false };
  return h(RenderContext.Provider, { value: state }, h(Fragment, null, page as VNode)) as VNode;
}
