// The report page's own script (plain browser JavaScript, run under the page's nonce): the step slider.

/**
 * Reads the embedded model (`#gclens-report-data`), and on every slider move replays the refcount changes up to
 * that position onto the SVG nodes and the refcount table, shows the references that exist there (an edge is shown
 * after an odd number of its toggles, between two live ends), lists that position's events and shows the output
 * printed so far. Text goes in through textContent only.
 */
export const REPORT_SCRIPT = String.raw`(function () {
  'use strict';
  var FREED = -1;
  var data = JSON.parse(document.getElementById('gclens-report-data').textContent);
  var slider = document.getElementById('step-slider');
  var stepLabel = document.getElementById('step-label');
  var sourceLine = document.getElementById('source-line');
  var eventList = document.getElementById('step-events');
  var table = document.getElementById('refcount-rows');
  var output = document.getElementById('output');
  var nodeElements = [];
  document.querySelectorAll('[data-node-index]').forEach(function (element) {
    nodeElements[Number(element.getAttribute('data-node-index'))] = element;
  });
  var edgeElements = [];
  document.querySelectorAll('[data-edge-index]').forEach(function (element) {
    edgeElements[Number(element.getAttribute('data-edge-index'))] = element;
  });
  var nodeIndexById = {};
  data.nodes.forEach(function (node, index) { nodeIndexById[node.id] = index; });
  var rows = [];
  data.nodes.forEach(function (node, index) {
    if (node.kind !== 'object') return;
    var row = document.createElement('tr');
    row.setAttribute('data-row-index', String(index));
    var name = document.createElement('td');
    name.textContent = node.id;
    var count = document.createElement('td');
    count.className = 'count';
    row.appendChild(name);
    row.appendChild(count);
    table.appendChild(row);
    rows[index] = row;
  });

  function describe(count) {
    if (count === null || count === undefined) return 'not yet allocated';
    if (count === FREED) return 'freed';
    return 'refcount ' + count;
  }

  function stateClass(count) {
    if (count === null || count === undefined) return 'unborn';
    return count === FREED ? 'freed' : 'alive';
  }

  function show(position) {
    var counts = [];
    for (var p = 0; p <= position; p++) {
      data.positions[p].changes.forEach(function (change) { counts[change[0]] = change[1]; });
    }
    var current = data.positions[position];
    var changed = {};
    current.changes.forEach(function (change) { changed[change[0]] = true; });
    data.nodes.forEach(function (node, index) {
      if (node.kind !== 'object') return;
      var element = nodeElements[index];
      var count = counts[index];
      var state = stateClass(count);
      if (element) {
        element.classList.remove('unborn', 'freed', 'alive', 'changed');
        element.classList.add(state);
        if (changed[index]) element.classList.add('changed');
        element.querySelector('.node-rc').textContent = describe(count);
      }
      var row = rows[index];
      row.className = state + (changed[index] ? ' changed' : '');
      row.lastChild.textContent = count === null || count === undefined ? '—' : count === FREED ? 'freed' : String(count);
    });
    function alive(id) {
      var index = nodeIndexById[id];
      return data.nodes[index].kind !== 'object' || stateClass(counts[index]) === 'alive';
    }
    data.edges.forEach(function (edge, index) {
      var element = edgeElements[index];
      if (!element) return;
      var toggled = 0;
      edge.toggles.forEach(function (at) { if (at <= position) toggled++; });
      element.classList.toggle('absent', toggled % 2 === 0 || !alive(edge.from) || !alive(edge.to));
    });
    stepLabel.textContent = 'step ' + current.step + ' · line ' + current.line + ' (' + (position + 1) + ' of ' + data.positions.length + ')';
    var text = data.source[String(current.line)];
    sourceLine.textContent = text === undefined ? '' : current.line + ' │ ' + text;
    eventList.textContent = '';
    var events = current.events.length ? current.events : ['refcount changes only'];
    events.forEach(function (event) {
      var item = document.createElement('li');
      item.textContent = event;
      if (!current.events.length) item.className = 'quiet';
      eventList.appendChild(item);
    });
    output.textContent = '';
    for (var q = 0; q <= position; q++) {
      data.positions[q].output.forEach(function (chunk) {
        var span = document.createElement('span');
        span.className = chunk[0] + (q === position ? ' new' : '');
        span.textContent = chunk[1];
        output.appendChild(span);
      });
    }
    if (!output.firstChild) {
      var quiet = document.createElement('span');
      quiet.className = 'quiet';
      quiet.textContent = '(nothing printed yet)';
      output.appendChild(quiet);
    }
    document.body.setAttribute('data-position', String(position));
  }

  if (data.positions.length === 0) {
    slider.disabled = true;
    stepLabel.textContent = 'no steps recorded';
    return;
  }
  slider.addEventListener('input', function () { show(Number(slider.value)); });
  show(Number(slider.value));
})();
`;
