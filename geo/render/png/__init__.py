"""The pieces of the print map (:mod:`geo.render.export_png`): the canvas in a view's Lambert
projection, the layers drawn on it, the legend, the scale bar and north arrow, the 南海诸岛 inset
and the text around the map."""
