namespace OrzDynamic.Plotting;
